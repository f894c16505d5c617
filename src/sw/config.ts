/**
 * What the worker caches and how, with its defaults. Every option is documented in the README.
 */
import type { HttpCacheFeature } from './features.ts';

/**
 * Which requests go through the cache: a `RegExp` or a `URLPattern` (each tested on the full
 * URL), a function, or a list of them. Patterns are typed by their `test` method so that
 * TypeScript versions whose lib has no `URLPattern` (5.x) still type the function's parameters.
 */
export type RouteMatcher = UrlTest | ((request: Request, url: URL) => boolean);

/** What a `RegExp` and a `URLPattern` have in common here. */
export interface UrlTest {
  test(url: string): boolean;
}

export interface HttpCacheOptions {
  /**
   * Requests that go through the cache. Default: every same-origin GET and HEAD request. A
   * request that matches no route is left alone (the browser handles it as if there were no
   * worker).
   */
  readonly routes?: RouteMatcher | readonly RouteMatcher[];
  /**
   * Optional parts, each imported by name: `controlEndpoint()` (the page's control API and the
   * handler's `stats()`/`entries()`), `crossContext()` (coalescing and write following across
   * worker instances), `noVarySearch()`, `multipartRanges()`, `partialContent()` (206 responses
   * stored as sparse entries). Default: none; what a worker does not import is not in its bundle. The prebuilt `sw-http-cache/worker.js` has them all on.
   */
  readonly features?: readonly HttpCacheFeature[];
  /** Separates this cache from others on the origin, e.g. a version string. Default `''`. */
  readonly namespace?: string;
  /** Largest body stored, in bytes; larger ones are served but not stored. Default 50 MiB. */
  readonly maxBodySize?: number;
  /**
   * Store responses to requests that carried `Authorization` (RFC 9111 §3.5 allows it only with
   * `public`, `must-revalidate` or `s-maxage`; this option allows it always). Default `false`.
   */
  readonly cacheAuthorized?: boolean;
  /** Add `key=` to `Cache-Status` and log each request's passage. Default `false`. */
  readonly debug?: boolean;
  /** Name of the IndexedDB database and the BroadcastChannels. Default `'sw-http-cache'`. */
  readonly name?: string;
  /**
   * What the cache may keep. `maxBytes` defaults to half the origin's storage quota
   * (`navigator.storage.estimate()`), at least 16 MiB and at most 1 GiB (100 MiB when the browser
   * gives no estimate); `maxEntries` defaults to 10,000. Least recently used entries go first.
   */
  readonly budget?: { readonly maxBytes?: number; readonly maxEntries?: number };
  /**
   * How long a request waits for another request's download of the same resource before it
   * fetches on its own, in milliseconds. Default 10,000.
   */
  readonly lockTimeout?: number;
  /**
   * How long the origin may take to send its response headers, in milliseconds, before the
   * request fails as a network error (or is answered from a `stale-if-error` entry). A slow body
   * is not cut. `0` waits as long as the browser does. Default 30,000.
   */
  readonly upstreamTimeout?: number;
  /**
   * Navigation preload: a navigation that misses or must revalidate takes the response of the
   * request the browser sent while the worker started (`FetchEvent.preloadResponse`) instead of
   * sending its own, and stores it like any other. `installHttpCache` switches preload on in the
   * browser; a Workbox app does that itself (workbox-navigation-preload). Default `false`.
   */
  readonly navigationPreload?: boolean;
  /**
   * Disconnected operation (RFC 9111 §4.2.4): when the origin cannot be reached (a network
   * error, a reset before the response headers, `upstreamTimeout`), a stored response that is at
   * most this many seconds stale is served instead of a network error, unless its directives
   * forbid it (`must-revalidate`, `proxy-revalidate`, `no-cache`, or the request's `no-cache`,
   * `max-stale`, `min-fresh`). Default `Infinity` (any staleness); `0` switches it off, leaving
   * only `stale-if-error`.
   */
  readonly offlineMaxStale?: number;
  /**
   * Entries stored before this time are treated as absent (and replaced when fetched again): a
   * way to invalidate everything older than a deploy. A `Date` or ms since the epoch.
   */
  readonly validAfter?: Date | number;
  /**
   * IndexedDB tuning. `chunkSize`: bytes per stored body chunk (default 256 KiB, see
   * docs/storage.md). `staleWriterMs`: how long a write without progress counts as alive before
   * its chunks are collected as orphans at the next start (default 10 minutes).
   */
  readonly storage?: { readonly chunkSize?: number; readonly staleWriterMs?: number };
  /**
   * The in-memory layer (L1) in front of IndexedDB, per worker: `maxBytes` (default 32 MiB),
   * `maxEntries` (default 1,000), `maxBodyBytes` (largest body kept in memory, default a quarter
   * of `maxBytes`; larger bodies are served from IndexedDB).
   */
  readonly memory?: {
    readonly maxBytes?: number;
    readonly maxEntries?: number;
    readonly maxBodyBytes?: number;
  };
}

export interface ResolvedOptions {
  readonly matches: (request: Request, url: URL) => boolean;
  readonly namespace: string;
  readonly maxBodySize: number;
  readonly cacheAuthorized: boolean;
  debug: boolean;
  readonly name: string;
  readonly budget: {
    readonly maxBytes?: number | undefined;
    readonly maxEntries?: number | undefined;
  };
  readonly lockTimeout: number;
  /** `undefined`: no limit. */
  readonly upstreamTimeout: number | undefined;
  readonly navigationPreload: boolean;
  /** Seconds; `Infinity`: any staleness; `0`: off. */
  readonly offlineMaxStale: number;
  readonly validAfter: number | undefined;
  readonly storage: {
    readonly chunkSize?: number | undefined;
    readonly staleWriterMs?: number | undefined;
  };
  readonly memory: {
    readonly maxBytes?: number | undefined;
    readonly maxEntries?: number | undefined;
    readonly maxBodyBytes?: number | undefined;
  };
}

export const DEFAULT_MAX_BODY_SIZE = 50 * 1024 * 1024;
export const DEFAULT_LOCK_TIMEOUT = 10_000;
export const DEFAULT_UPSTREAM_TIMEOUT = 30_000;

export function resolveOptions(options: HttpCacheOptions, origin: string): ResolvedOptions {
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  if (!Number.isFinite(maxBodySize) || maxBodySize < 0) {
    throw new RangeError(`maxBodySize must be a non-negative number of bytes, got ${maxBodySize}`);
  }
  const lockTimeout = options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  if (!(lockTimeout > 0))
    throw new RangeError(
      `lockTimeout must be a positive number of milliseconds, got ${lockTimeout}`,
    );
  const upstreamTimeout = options.upstreamTimeout ?? DEFAULT_UPSTREAM_TIMEOUT;
  if (!(Number.isFinite(upstreamTimeout) && upstreamTimeout >= 0))
    throw new RangeError(
      `upstreamTimeout must be a non-negative number of milliseconds, got ${upstreamTimeout}`,
    );
  const offlineMaxStale = options.offlineMaxStale ?? Infinity;
  if (!(offlineMaxStale >= 0))
    throw new RangeError(
      `offlineMaxStale must be a non-negative number of seconds or Infinity, got ${offlineMaxStale}`,
    );
  for (const [group, values] of [
    ['budget', options.budget],
    ['storage', options.storage],
    ['memory', options.memory],
  ] as const) {
    for (const [name, value] of Object.entries(values ?? {})) {
      if (
        value !== undefined &&
        !(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)
      ) {
        throw new RangeError(`${group}.${name} must be a positive integer, got ${String(value)}`);
      }
    }
  }
  const validAfter = options.validAfter === undefined ? undefined : Number(options.validAfter);
  if (validAfter !== undefined && !Number.isFinite(validAfter)) {
    throw new RangeError(
      `validAfter must be a Date or a time in ms, got ${String(options.validAfter)}`,
    );
  }
  return {
    validAfter,
    matches: routeMatcher(options.routes, origin),
    namespace: options.namespace ?? '',
    maxBodySize,
    cacheAuthorized: options.cacheAuthorized ?? false,
    debug: options.debug ?? false,
    name: options.name ?? 'sw-http-cache',
    budget: { ...options.budget },
    storage: { ...options.storage },
    memory: { ...options.memory },
    lockTimeout,
    upstreamTimeout: upstreamTimeout === 0 ? undefined : upstreamTimeout,
    navigationPreload: options.navigationPreload ?? false,
    offlineMaxStale,
  };
}

function routeMatcher(
  routes: HttpCacheOptions['routes'],
  origin: string,
): (request: Request, url: URL) => boolean {
  if (routes === undefined) return (_request, url) => url.origin === origin;
  const list: readonly RouteMatcher[] = Array.isArray(routes) ? routes : [routes as RouteMatcher];
  const tests = list.map((route): ((request: Request, url: URL) => boolean) => {
    if (typeof route === 'function') return route;
    if (typeof (route as Partial<UrlTest> | null)?.test !== 'function') {
      throw new TypeError(
        `sw-http-cache: a route must be a RegExp, a URLPattern or a function, got ${JSON.stringify(route) ?? typeof route}`,
      );
    }
    return (_request, url) => route.test(url.href);
  });
  return (request, url) => tests.some((test) => test(request, url));
}
