// @ts-check

/**
 * A header value given as whole seconds relative to now (`-60`, `3600`) becomes an HTTP date;
 * anything else is used as written, so tests can also send malformed dates on purpose.
 *
 * @param {string} value
 * @param {number} now milliseconds
 */
export function httpDate(value, now) {
  return /^[+-]?\d+$/.test(value) ? new Date(now + Number(value) * 1000).toUTCString() : value;
}

/**
 * An entity tag as configured: quoted when the test gave a bare token (`etag=v1` → `"v1"`),
 * untouched when it is already quoted or weak.
 *
 * @param {string} value
 */
export function entityTag(value) {
  return value.startsWith('"') || value.startsWith('W/') ? value : `"${value}"`;
}

/**
 * The caching headers a test configured through the query string:
 * `cc` Cache-Control, `expires`, `lm` Last-Modified, `date` (empty = no Date header), `etag`,
 * `vary`, `age`, `tag` Cache-Tag, `ctype` Content-Type, and any number of `h=Name:Value`.
 *
 * @param {URLSearchParams} query
 * @param {number} now milliseconds
 * @returns {{ headers: Record<string, string | string[]>, sendDate: boolean }}
 */
export function configuredHeaders(query, now) {
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  const direct = /** @type {const} */ ([
    ['cc', 'cache-control'],
    ['vary', 'vary'],
    ['age', 'age'],
    ['tag', 'cache-tag'],
    ['ctype', 'content-type'],
  ]);
  for (const [param, name] of direct) {
    const value = query.get(param);
    if (value !== null) headers[name] = value;
  }
  for (const [param, name] of /** @type {const} */ ([
    ['expires', 'expires'],
    ['lm', 'last-modified'],
  ])) {
    const value = query.get(param);
    if (value !== null) headers[name] = httpDate(value, now);
  }
  const etag = query.get('etag');
  if (etag !== null) headers['etag'] = entityTag(etag);

  const date = query.get('date');
  if (date !== null && date !== '') headers['date'] = httpDate(date, now);

  for (const extra of query.getAll('h')) {
    const colon = extra.indexOf(':');
    if (colon <= 0) continue;
    const name = extra.slice(0, colon).trim().toLowerCase();
    const value = extra.slice(colon + 1).trim();
    const existing = headers[name];
    headers[name] = existing === undefined ? value : [existing, value].flat();
  }
  // Node adds its own Date unless told not to; `date=` (empty) asks for none at all.
  return { headers, sendDate: date === null };
}

/**
 * Writes the 200 head the byte routes share: a minute of freshness and an octet stream unless the
 * query configures otherwise ({@link configuredHeaders}), the origin's request count, and
 * `length` as Content-Length (`undefined`: none, so the body goes chunked).
 *
 * @param {import('node:http').ServerResponse} res
 * @param {URLSearchParams} query
 * @param {number} now milliseconds
 * @param {number} count
 * @param {number | undefined} length
 */
export function writeConfiguredOk(res, query, now, count, length) {
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;
  res.writeHead(200, {
    'cache-control': 'max-age=60',
    'content-type': 'application/octet-stream',
    'x-origin-count': String(count),
    ...headers,
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  });
}

/**
 * Whether the request's validators match the configured ones, so the origin answers 304
 * (RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since; weak comparison).
 *
 * @param {import('node:http').IncomingHttpHeaders} request
 * @param {Record<string, string | string[]>} response
 */
export function notModified(request, response) {
  const etag = response['etag'];
  const inm = request['if-none-match'];
  if (inm !== undefined) {
    if (typeof etag !== 'string') return false;
    const opaque = (/** @type {string} */ tag) => tag.trim().replace(/^W\//, '');
    return inm
      .split(',')
      .some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag));
  }
  const ims = request['if-modified-since'];
  const lm = response['last-modified'];
  if (ims === undefined || typeof lm !== 'string') return false;
  const since = Date.parse(ims);
  const modified = Date.parse(lm);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/** Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5). */
export const NOT_MODIFIED_HEADERS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'last-modified',
  'cache-tag',
];

/**
 * Answers 304 with the headers a 304 repeats when the request's validators match the configured
 * ones ({@link notModified}); returns whether it did.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Record<string, string | string[]>} headers the 200's configured headers
 */
export function answeredNotModified(req, res, headers) {
  if (!notModified(req.headers, headers)) return false;
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  res.writeHead(304).end();
  return true;
}
