// @ts-check
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';
import { deterministicBody, deterministicSlice } from './deterministic-body.mjs';
import { answeredNotModified, configuredHeaders, writeConfiguredOk } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 *   `count` is how many times this exact path and query has been requested, this one included.
 */

/**
 * `GET /api/resource?…`: a response shaped entirely by the query (see `configuredHeaders`), plus
 * `status`, and a body from `body` (text), `size` (deterministic bytes, see `deterministicBody`)
 * or, by default, a text naming the request and its count — so a cached copy shows which origin
 * response it came from. Answers 304 when the request's validators match the configured ones.
 * `delay=ms` holds the answer that long (a distant origin, for the benchmarks).
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function resourceRoute(req, res, context) {
  const delay = Number(context.url.searchParams.get('delay') ?? 0);
  if (delay > 0) setTimeout(() => answerResource(req, res, context), delay).unref();
  else answerResource(req, res, context);
}

/**
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
function answerResource(req, res, { url, count, now }) {
  const query = url.searchParams;
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;
  res.setHeader('x-origin-count', String(count));

  if (answeredNotModified(req, res, headers)) return;

  const key = url.pathname + url.search;
  const size = query.get('size');
  const text = query.get('body');
  const body =
    size !== null
      ? deterministicBody(key, Number(size))
      : Buffer.from(text ?? `origin response #${count} for ${key}`);
  headers['content-type'] ??=
    size !== null ? 'application/octet-stream' : 'text/plain; charset=utf-8';
  res.writeHead(Number(query.get('status') ?? 200), {
    ...headers,
    'content-length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `GET /api/error?status=500`: an error status (default 500) with a short text body and any
 * configured headers (so tests can make an error cacheable on purpose).
 *
 * @param {Req} _req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function errorRoute(_req, res, { url, count, now }) {
  const { headers, sendDate } = configuredHeaders(url.searchParams, now);
  res.sendDate = sendDate;
  const status = Number(url.searchParams.get('status') ?? 500);
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-origin-count': String(count),
    ...headers,
  });
  res.end(`origin error ${status}`);
}

/**
 * `GET /api/reset?size=N&sent=M`: promises N bytes (default 4096, cacheable `max-age=60` unless
 * `cc` says otherwise), sends M of them (default half) and then destroys the connection —
 * a response that must never be stored or served as complete.
 *
 * @param {Req} _req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function resetRoute(_req, res, { url, count, now }) {
  const query = url.searchParams;
  const size = Number(query.get('size') ?? 4096);
  const sent = Math.min(size, Number(query.get('sent') ?? Math.floor(size / 2)));
  writeConfiguredOk(res, query, now, count, size);
  res.write(deterministicSlice(url.pathname + url.search, 0, sent));
  // Give the headers and the first bytes time to reach the client before the connection dies.
  setTimeout(() => res.destroy(), 50).unref();
}
