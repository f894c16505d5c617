// @ts-check
/**
 * A route for the fault-injection spec (e2e/reliability-faults.spec.ts): an origin that answers
 * well, then resets a connection mid-body, then hangs, in whatever order the test asks for.
 */
import { setTimeout } from 'node:timers';
import { deterministicBody } from './deterministic-body.mjs';
import { writeConfiguredOk } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 */

/** What the origin does with one request. @typedef {'ok' | 'reset' | 'hang'} FaultStep */

/**
 * The body answer `n` (1-based) of `key` (path and query) carries: deterministic bytes that
 * differ per answer, so a test can tell which origin response a cached copy came from.
 *
 * @param {string} key
 * @param {number} n
 * @param {number} size
 */
export function faultyBody(key, n, size) {
  return deterministicBody(`${key}#${n}`, size);
}

/**
 * `GET /api/faulty?plan=ok,reset,hang&size=N&…`: the n-th request of this exact path and query
 * follows step n of `plan` (the last step repeats): `ok` sends `faultyBody(key, n, N)` (default
 * N = 2048, cacheable `max-age=60` unless `cc` says otherwise); `reset` sends the headers and
 * half of that body, then destroys the connection; `hang` never answers: with `hangMs` the
 * connection is dropped after that many ms, else the origin's close() destroys it.
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function faultyRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const plan = (query.get('plan') ?? 'ok').split(',');
  const step = plan[Math.min(count, plan.length) - 1];
  if (step === 'hang') {
    // `hangMs`: drop the connection after that long, as a server-side timeout would; without
    // it the request hangs until the origin closes.
    const hangMs = query.get('hangMs');
    if (hangMs !== null) setTimeout(() => req.socket.destroy(), Number(hangMs)).unref();
    return;
  }
  const body = faultyBody(url.pathname + url.search, count, Number(query.get('size') ?? 2048));
  writeConfiguredOk(res, query, now, count, body.length);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (step !== 'reset') {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)));
  // Give the headers and the first bytes time to reach the client before the connection dies.
  setTimeout(() => res.destroy(), 50).unref();
}
