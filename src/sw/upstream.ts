/**
 * Requests to the origin. They bypass the browser's own HTTP cache (`cache: 'no-store'`) so it
 * never sits behind ours; per the Fetch standard the browser then adds `Pragma: no-cache` and
 * `Cache-Control: no-cache` to requests that carry neither.
 */
import type { RequestSnapshot } from '../core/http/index.ts';

/** A copy of a GET or HEAD `request` for the network, with `headers` replacing its headers. */
export function upstreamRequest(request: Request, headers: Headers = request.headers): Request {
  // A navigation request cannot be copied with an init (its mode is `navigate`), so navigations
  // are rebuilt from their parts; redirects are left to the browser, as for any navigation.
  const navigate = request.mode === 'navigate';
  return new Request(request.url, {
    method: request.method,
    headers,
    mode: navigate ? 'same-origin' : request.mode,
    credentials: request.credentials,
    redirect: navigate ? 'manual' : request.redirect,
    referrer: request.referrer,
    referrerPolicy: request.referrerPolicy,
    integrity: request.integrity,
    cache: 'no-store',
    signal: request.signal,
  });
}

/**
 * The parts of a request the RFC decisions read. `Authorization` is in the headers and follows
 * RFC 9111 §3.5 (see `cacheAuthorized`). Cookies are invisible to a worker and, as in the
 * browser's own HTTP cache, do not change storability: this cache is private to the browser
 * profile, and an app that logs a user out clears it (see the README).
 */
export function requestSnapshot(request: Request): RequestSnapshot {
  return { method: request.method, url: request.url, headers: request.headers };
}
