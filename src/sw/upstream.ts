/**
 * Requests to the origin. They bypass the browser's own HTTP cache (`cache: 'no-store'`) so it
 * never sits behind ours; per the Fetch standard the browser then adds `Pragma: no-cache` and
 * `Cache-Control: no-cache` to requests that carry neither.
 */
import { clearsCache, type RequestSnapshot } from '../core/http/index.ts';
import type { FlowDeps, RequestContext } from './flow-deps.ts';

/** The origin's response and when it was asked and answered (RFC 9111 §4.2.3). */
export interface Upstream {
  readonly response: Response;
  readonly requestTime: number;
  readonly responseTime: number;
}

/** The origin could not be reached. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(cause: unknown) {
    super('the origin could not be reached', { cause });
  }
}

/**
 * Sends `request` to the origin, timing it. A `Clear-Site-Data: "cache"` answer (a logout,
 * typically) clears the cache before the response goes on, so the response itself can be stored.
 * Rejects with {@link UpstreamError} when the origin cannot be reached.
 */
export async function askOrigin(deps: FlowDeps, request: Request): Promise<Upstream> {
  const requestTime = deps.now();
  let response: Response;
  try {
    response = await deps.fetch(request);
  } catch (error) {
    throw new UpstreamError(error);
  }
  return received(deps, response, requestTime);
}

/**
 * The flow's first request to the origin for `ctx`: the navigation preload's answer when there
 * is one (the browser sent it while the worker started, so a navigation that misses or must
 * revalidate does not wait for the worker and then for a request of its own), else `request`.
 * The preload is a plain request: where the flow would revalidate, its full answer replaces the
 * stored response as a 200 to a conditional request would.
 */
export async function askOriginOnce(ctx: RequestContext, request: Request): Promise<Upstream> {
  const { deps, preload } = ctx;
  const preloaded = preload?.response;
  if (preload === undefined || preloaded === undefined) return askOrigin(deps, request);
  preload.response = undefined;
  let response: Response | undefined;
  try {
    response = await preloaded;
  } catch (error) {
    throw new UpstreamError(error);
  }
  if (response === undefined) return askOrigin(deps, request);
  deps.log('navigation preload answered', request.url);
  return received(deps, response, preload.sentBy);
}

async function received(
  deps: FlowDeps,
  response: Response,
  requestTime: number,
): Promise<Upstream> {
  const responseTime = deps.now();
  if (clearsCache(response.headers)) {
    await deps.clear().catch((error: unknown) => deps.log('could not clear the cache', error));
  }
  return { response, requestTime, responseTime };
}

/**
 * A copy of a GET or HEAD `request` for the network, with `headers` replacing its headers. A
 * reload (Fetch's `no-cache` mode) without `Cache-Control` of its own carries `max-age=0`, what
 * the browser sends for it (Fetch, HTTP-network-or-cache fetch), not the `no-cache` that Fetch
 * adds to the `no-store` copy (RFC 9111 §5.2.1.1: revalidate, but any validated response will do).
 */
export function upstreamRequest(request: Request, headers: Headers = request.headers): Request {
  if (request.cache === 'no-cache' && !headers.has('cache-control')) {
    headers = new Headers(headers);
    headers.set('cache-control', 'max-age=0');
  }
  // A navigation request cannot be copied with an init (its mode is `navigate`), so navigations
  // are rebuilt from their parts; redirects are left to the browser, as for any navigation.
  const navigate = request.mode === 'navigate';
  return new Request(request.url, {
    method: request.method,
    headers,
    mode: navigate ? 'same-origin' : keepsRange(request, headers) ? 'cors' : request.mode,
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

/**
 * Whether a page's `no-cors` request (a `<video>`, an `<audio>`) with `Range` goes out in `cors`
 * mode: `Range` is a privileged no-CORS header that a copied `no-cors` request silently loses, so
 * the origin would send the whole body for every seek. Only for the worker's own origin, where
 * `cors` mode needs no CORS headers from the server.
 */
function keepsRange(request: Request, headers: Headers): boolean {
  if (request.mode !== 'no-cors' || !headers.has('range')) return false;
  const own = (globalThis as { location?: { origin?: string } }).location?.origin;
  return own !== undefined && new URL(request.url).origin === own;
}
