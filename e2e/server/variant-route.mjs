// @ts-check
import { deterministicBody } from './deterministic-body.mjs';
import { configuredHeaders } from './response-headers.mjs';

/**
 * `GET /api/variant?on=<request header>&size=N&…`: a response that varies on one request header
 * (`Vary: <on>`, default `x-variant`) and whose body depends on that header's value, so a test
 * can tell which variant it was served: deterministic bytes for the key
 * `variantBodyKey(path + query, value)` (see `deterministicBody`). The value is echoed in
 * `x-variant-value`; the rest of the query shapes the headers as for `/api/resource`.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ url: URL, count: number, now: number }} context
 */
export function variantRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;
  const on = (query.get('on') ?? 'x-variant').toLowerCase();
  const raw = req.headers[on];
  const value = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  const body = deterministicBody(
    variantBodyKey(url.pathname + url.search, value),
    Number(query.get('size') ?? 256),
  );
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    ...headers,
    vary: on,
    'x-variant-value': value,
    'x-origin-count': String(count),
    'content-length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The key whose deterministic bytes `/api/variant` sends for `pathAndQuery` when the varied
 * request header is `value` ('' when absent).
 *
 * @param {string} pathAndQuery
 * @param {string} value
 */
export function variantBodyKey(pathAndQuery, value) {
  return `${pathAndQuery}|${value}`;
}
