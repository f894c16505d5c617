/**
 * What the worker caches and how, with its defaults. Every option is documented in the README.
 */

/** Which requests go through the cache: a URL pattern, a function, or a list of either. */
export type RouteMatcher = RegExp | URLPattern | ((request: Request, url: URL) => boolean);

export interface HttpCacheOptions {
  /**
   * Requests that go through the cache. Default: every same-origin GET and HEAD request. A
   * request that matches no route is left alone (the browser handles it as if there were no
   * worker).
   */
  readonly routes?: RouteMatcher | readonly RouteMatcher[];
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
  /** Name of the IndexedDB database and the BroadcastChannel. Default `'sw-http-cache'`. */
  readonly name?: string;
}

export interface ResolvedOptions {
  readonly matches: (request: Request, url: URL) => boolean;
  readonly namespace: string;
  readonly maxBodySize: number;
  readonly cacheAuthorized: boolean;
  debug: boolean;
  readonly name: string;
}

export const DEFAULT_MAX_BODY_SIZE = 50 * 1024 * 1024;

export function resolveOptions(options: HttpCacheOptions, origin: string): ResolvedOptions {
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  if (!Number.isFinite(maxBodySize) || maxBodySize < 0) {
    throw new RangeError(`maxBodySize must be a non-negative number of bytes, got ${maxBodySize}`);
  }
  return {
    matches: routeMatcher(options.routes, origin),
    namespace: options.namespace ?? '',
    maxBodySize,
    cacheAuthorized: options.cacheAuthorized ?? false,
    debug: options.debug ?? false,
    name: options.name ?? 'sw-http-cache',
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
    if (route instanceof RegExp) return (_request, url) => route.test(url.href);
    return (_request, url) => route.test(url.href);
  });
  return (request, url) => tests.some((test) => test(request, url));
}
