// @ts-check
/**
 * Routes for the HTTP behaviour specs (e2e/http-*.spec.ts): an origin whose answer changes from
 * one request to the next, unsafe methods answered with a chosen status and headers, and an
 * origin that answers ranges itself.
 */
import { Buffer } from 'node:buffer';
import { URLSearchParams } from 'node:url';
import { resourceRoute } from './api-routes.mjs';
import { deterministicSlice } from './deterministic-body.mjs';
import { configuredHeaders, notModified } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 */

/**
 * `GET /api/sequence?r1=<query>&r2=<query>…`: the n-th request of this exact URL is answered as
 * configured by `rN` (the last one given answers every later request). Each `rN` is itself a
 * query in the `/api/resource` vocabulary (`cc`, `etag`, `lm`, `h=Name:Value`…, see
 * `configuredHeaders`) plus `status` and `body`. A request whose validators match the
 * configured ones gets a 304 that carries **every** configured header (RFC 9110 §15.4.5 lets a
 * 304 send more than the validators), so a test can see the worker merge a new header.
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function sequenceRoute(req, res, { url, count, now }) {
  const configs = [...url.searchParams.keys()].filter((name) => /^r\d+$/.test(name)).length;
  const config = new URLSearchParams(url.searchParams.get(`r${Math.min(count, configs)}`) ?? '');
  const { headers, sendDate } = configuredHeaders(config, now);
  res.sendDate = sendDate;
  res.setHeader('x-origin-count', String(count));
  const status = Number(config.get('status') ?? 200);
  if (status === 200 && notModified(req.headers, headers)) {
    const { 'content-type': _ignored, ...fields } = headers;
    res.writeHead(304, fields).end();
    return;
  }
  const body = Buffer.from(
    config.get('body') ?? `origin response #${count} for ${url.pathname}${url.search}`,
  );
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
    'content-length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `/api/mutate?…`: GET and HEAD behave as `/api/resource` with the same query (so the URL can be
 * cached); any other method is answered with status `mstatus` (default 200) and the headers of
 * every `mh=Name:Value` (e.g. `Location`, `Content-Location`), with a short text body;
 * `mself=1` adds a `Content-Location` naming the request's own URL (which an `mh` could not,
 * being part of that URL).
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function mutateRoute(req, res, context) {
  if (req.method === 'GET' || req.method === 'HEAD') {
    resourceRoute(req, res, context);
    return;
  }
  const { url, count } = context;
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-origin-count': String(count),
  };
  for (const field of url.searchParams.getAll('mh')) {
    const colon = field.indexOf(':');
    if (colon > 0)
      headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
  }
  if (url.searchParams.get('mself') === '1')
    headers['content-location'] = url.pathname + url.search;
  const status = Number(url.searchParams.get('mstatus') ?? 200);
  res.writeHead(status, headers);
  res.end(`${req.method ?? ''} ${url.pathname}${url.search} → ${status}`);
}

/**
 * `GET /api/partial?size=N`: an origin that always answers 206 (RFC 9110 §15.3.7): the one
 * `bytes=a-b` / `a-` / `-n` range the request asks for, else the first `min(N, 100)` bytes —
 * of the same deterministic body `/api/resource?size=N` would send for this URL. Cacheable
 * `max-age=60` unless `cc` says otherwise, so only the 206 status keeps it out of the cache.
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function partialRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;
  const size = Number(query.get('size') ?? 1000);
  const [start, end] = requestedRange(req.headers.range, size) ?? [0, Math.min(size, 100) - 1];
  const body = deterministicSlice(url.pathname + url.search, start, end + 1);
  res.writeHead(206, {
    'cache-control': 'max-age=60',
    'content-type': 'application/octet-stream',
    'x-origin-count': String(count),
    ...headers,
    'content-range': `bytes ${start}-${end}/${size}`,
    'content-length': String(body.length),
  });
  res.end(body);
}

/**
 * One satisfiable byte range of a `Range` header as inclusive `[first, last]`, or undefined.
 *
 * @param {string | undefined} header
 * @param {number} size
 * @returns {[number, number] | undefined}
 */
export function requestedRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '') return [Math.max(0, size - Number(to)), size - 1];
  const first = Number(from);
  if (first >= size) return undefined;
  return [first, to === '' ? size - 1 : Math.min(Number(to), size - 1)];
}
