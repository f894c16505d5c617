// @ts-check
import { deterministicBody } from './deterministic-body.mjs';
import { answeredNotModified, configuredHeaders } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 */

/**
 * The version of a resource at `now`: how many of its changes (`epoch + offset`, ms) have
 * happened. Version 0 is the one before the first change.
 *
 * @param {number} epoch ms
 * @param {readonly number[]} changes offsets from `epoch`, ms, ascending
 * @param {number} now ms
 */
export function versionAt(epoch, changes, now) {
  return changes.filter((offset) => epoch + offset <= now).length;
}

/** Bodies already made: a replayed session asks for the same few versions hundreds of times. */
const bodies = new Map();

/** @param {string} key @param {number} size @returns {import('node:buffer').Buffer} */
function versionBody(key, size) {
  const id = `${key}:${size}`;
  let body = bodies.get(id);
  if (body === undefined) {
    if (bodies.size >= 500) bodies.clear();
    body = deterministicBody(key, size);
    bodies.set(id, body);
  }
  return body;
}

/**
 * `GET /api/timed?id=…&epoch=ms&changes=ms,ms&size=N&validator=etag|lm[&born=ms&cc=…&vary=…]`:
 * a resource whose version changes at set times (the benchmark's replayed browsing session):
 * version `versionAt(epoch, changes, now)`, stamped in `X-Version`, and the time the origin
 * answered in `X-Sent-At` (ms, on 304s too, so a cache that merges a 304 shows when it last
 * heard from the origin). Its body is
 * `deterministicBody(id + '#v' + version + '|' + accept, size)` when it varies on `Accept`, else
 * without the `|accept` part. Validators follow the version: `validator=etag` sends
 * `ETag: "v<version>"` (`"v<version>-<accept>"` when it varies on `Accept`, one tag per
 * representation), `validator=lm` sends `Last-Modified` at the version's change (version 0:
 * `born` ms before `epoch`); a request whose validators match gets a 304. The rest of the query
 * shapes the headers as for `/api/resource` (`date=` omits `Date`).
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function timedRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const epoch = Number(query.get('epoch') ?? now);
  const changes = (query.get('changes') ?? '').split(',').filter(Boolean).map(Number);
  const version = versionAt(epoch, changes, now);
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;

  const varied = String(headers['vary'] ?? '')
    .toLowerCase()
    .split(',');
  const variesOnAccept = varied.some((name) => name.trim() === 'accept');
  const accept = variesOnAccept ? (req.headers['accept'] ?? '') : '';
  const representation =
    accept === '' ? `v${version}` : `v${version}-${accept.replace(/\W+/g, '_')}`;
  const validator = query.get('validator');
  if (validator === 'etag') headers['etag'] = `"${representation}"`;
  if (validator === 'lm') {
    const born = epoch - Number(query.get('born') ?? 3_600_000);
    headers['last-modified'] = new Date(
      version === 0 ? born : epoch + changes[version - 1],
    ).toUTCString();
  }
  res.setHeader('x-version', String(version));
  res.setHeader('x-sent-at', String(now));
  res.setHeader('x-origin-count', String(count));

  if (answeredNotModified(req, res, headers)) return;
  const id = query.get('id') ?? url.pathname;
  const body = versionBody(`${id}#${representation}`, Number(query.get('size') ?? 1024));
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    ...headers,
    'content-length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
