/**
 * Whether a private cache may store a response (RFC 9111 §3), and the {@link CacheMeta} it
 * stores (pingora `RespCacheable`).
 */

import type { CacheMeta, HeaderList } from '../meta.ts';
import { getCombinedHeader, getHeader, headerListFrom } from '../meta.ts';
import { normalizeUrl } from '../key.ts';
import { NoCacheReason } from '../phase.ts';
import { parseCacheControl } from './cache-control.ts';
import { revalidationHeaders } from './conditional.ts';
import { freshnessTimes, HEURISTICALLY_CACHEABLE_STATUS } from './freshness.ts';
import type { FreshnessOptions } from './freshness.ts';
import { storedHeaders } from './stored-headers.ts';
import { varianceHash, varyHeaderNames, varyMatchesNothing } from './variance.ts';

/** The parts of a request the cache decisions read. Works with a `Request` as it is. */
export interface RequestSnapshot {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /**
   * Whether the request carried credentials the worker cannot see in `headers` (cookies; for
   * example `request.credentials === 'include'`). Treated like `Authorization`.
   */
  readonly hasCredentials?: boolean;
}

/** The parts of a response the cache decisions read. Works with a `Response` as it is. */
export interface ResponseSnapshot {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
}

/** When the request was sent and its response received, ms since the epoch (§4.2.3). */
export interface Timing {
  readonly requestTime: number;
  readonly responseTime: number;
}

export interface CacheabilityOptions extends FreshnessOptions {
  /**
   * Store responses to requests with `Authorization` (or {@link RequestSnapshot.hasCredentials})
   * even when the response does not say `public`, `must-revalidate` or `s-maxage`. Default
   * `false`: such requests follow the shared-cache rule of RFC 9111 §3.5, the safe choice for a
   * cache that outlives a login session.
   */
  readonly cacheAuthorized?: boolean;
}

/** pingora `RespCacheable`, with a short machine-readable `detail` for the uncacheable case. */
export type Cacheability =
  | { readonly cacheable: true; readonly meta: CacheMeta }
  | {
      readonly cacheable: false;
      readonly reason: NoCacheReason;
      readonly detail: UncacheableDetail;
    };

/** Why a response was not stored (for `Cache-Status; detail=` and logs). */
export type UncacheableDetail =
  | 'method'
  | 'request-no-store'
  | 'status'
  | 'partial-content'
  | 'must-understand'
  | 'no-store'
  | 'authorization'
  | 'vary-star'
  | 'not-cacheable'
  | 'no-freshness';

/**
 * Status codes whose caching rules this cache implements: with `must-understand`, only these
 * are stored (§5.2.2.3). The heuristically cacheable codes plus the redirects.
 */
export const UNDERSTOOD_STATUS: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501,
]);

/**
 * Whether a response to a request may be stored, and its meta when it may (RFC 9111 §3):
 * - only `GET` responses are stored (a `HEAD` can be answered from a stored `GET`), and `POST`
 *   responses that describe their own URL ({@link isReusablePostResponse});
 * - no `no-store` in the request or the response — unless the response says `must-understand`
 *   and its status is understood (§5.2.2.3);
 * - final status only; never 206 (no partial storage) or 304;
 * - `private` is fine (this is a private cache); `s-maxage` and `proxy-revalidate` are ignored;
 * - `Authorization` / credentials: see {@link CacheabilityOptions.cacheAuthorized};
 * - `Vary: *` is not stored: it can never be reused (§4.1);
 * - it must be storable by §3 (public, private, Expires, max-age or a heuristically cacheable
 *   status) **and** worth storing: fresh for some time, or revalidatable (a validator), or
 *   servable stale (a stale-while-revalidate / stale-if-error window). A response that is stale
 *   on arrival and can only be refetched in full is not kept (storing is never required).
 */
export function responseCacheability(
  request: RequestSnapshot,
  response: ResponseSnapshot,
  timing: Timing,
  options: CacheabilityOptions = {},
): Cacheability {
  const headers = storedHeaders(headerListFrom(response.headers), timing.responseTime);
  return metaFromResponse(request, response.status, response.statusText, headers, timing, options);
}

/**
 * The storability check and meta of {@link responseCacheability} for a header list that is
 * already in stored form (used again after a 304 merge). `keep` carries fields of an existing
 * entry that a refresh must not change (`created`, and the stored `vary`/`variance`).
 */
export function metaFromResponse(
  request: RequestSnapshot,
  status: number,
  statusText: string,
  headers: HeaderList,
  timing: Timing,
  options: CacheabilityOptions = {},
  keep?: Pick<CacheMeta, 'created' | 'vary' | 'variance'>,
): Cacheability {
  const refuse = (reason: NoCacheReason, detail: UncacheableDetail): Cacheability => ({
    cacheable: false,
    reason,
    detail,
  });
  const method = request.method.toUpperCase();
  const reusablePost = method === 'POST' && isReusablePostResponse(request.url, headers);
  if (method !== 'GET' && !reusablePost) return refuse(NoCacheReason.NeverEnabled, 'method');
  const requestCc = parseCacheControl(request.headers.get('cache-control'));
  // Deferred, not NeverEnabled: the cache was enabled (the request may hold the write lock), and
  // a later request without the directive may store the response.
  if (requestCc.noStore) return refuse(NoCacheReason.Deferred, 'request-no-store');

  const origin = NoCacheReason.OriginNotCache;
  if (status === 206) return refuse(origin, 'partial-content');
  if (status < 200 || status > 599 || status === 304) return refuse(origin, 'status');
  const cc = parseCacheControl(getCombinedHeader(headers, 'cache-control'));
  if (cc.mustUnderstand && !UNDERSTOOD_STATUS.has(status)) return refuse(origin, 'must-understand');
  if (cc.noStore && !cc.mustUnderstand) return refuse(origin, 'no-store');

  const authorized = request.headers.has('authorization') || request.hasCredentials === true;
  const allowsAuthorized = cc.public || cc.mustRevalidate || cc.sMaxAge !== undefined;
  if (authorized && !options.cacheAuthorized && !allowsAuthorized) {
    return refuse(origin, 'authorization');
  }

  const vary = keep?.vary ?? varyHeaderNames(headers);
  if (varyMatchesNothing(vary)) return refuse(origin, 'vary-star');

  const explicitlyStorable =
    cc.public ||
    cc.private ||
    cc.maxAge !== undefined ||
    cc.invalid.includes('max-age') ||
    getHeader(headers, 'expires') !== null;
  if (!explicitlyStorable && !HEURISTICALLY_CACHEABLE_STATUS.has(status)) {
    return refuse(origin, 'not-cacheable');
  }

  const times = freshnessTimes(status, headers, timing.requestTime, timing.responseTime, options);
  const etag = getHeader(headers, 'etag') ?? undefined;
  const lastModified = getHeader(headers, 'last-modified') ?? undefined;
  // A validator only counts when the cache can send it (see revalidationHeaders).
  const revalidatable =
    Object.keys(revalidationHeaders({ validators: { etag, lastModified }, ...timing })).length > 0;
  const worthKeeping =
    times.lifetime.seconds > 0 ||
    revalidatable ||
    times.staleWhileRevalidateUntil > times.freshUntil ||
    times.staleIfErrorUntil > times.freshUntil;
  if (!worthKeeping) return refuse(origin, 'no-freshness');

  const meta: CacheMeta = {
    status,
    statusText,
    headers,
    created: keep?.created ?? timing.responseTime,
    updated: timing.responseTime,
    requestTime: timing.requestTime,
    responseTime: timing.responseTime,
    initialAge: times.initialAge,
    freshUntil: times.freshUntil,
    staleWhileRevalidateUntil: times.staleWhileRevalidateUntil,
    staleIfErrorUntil: times.staleIfErrorUntil,
    vary,
    variance: keep ? keep.variance : varianceHash(vary, request.headers),
    validators: { etag, lastModified },
    tags: cacheTags(headers),
    mustRevalidate: times.mustRevalidate,
  };
  return { cacheable: true, meta };
}

/**
 * Whether a response to POST may be stored for later GETs of its URL (RFC 9110 §9.3.3, RFC 9111
 * §4): it has explicit freshness (`max-age` or `Expires`; `s-maxage` is for shared caches) and
 * a `Content-Location` that names the POST's own target URI, so its body is the representation
 * a GET of that URL would get. The other storage rules apply as to any response.
 */
export function isReusablePostResponse(targetUrl: string, headers: HeaderList): boolean {
  const cc = parseCacheControl(getCombinedHeader(headers, 'cache-control'));
  const explicit = cc.maxAge !== undefined || getHeader(headers, 'expires') !== null;
  const contentLocation = getCombinedHeader(headers, 'content-location');
  if (!explicit || contentLocation === null) return false;
  try {
    return normalizeUrl(contentLocation.trim(), targetUrl) === normalizeUrl(targetUrl);
  } catch {
    return false; // a malformed Content-Location names nothing
  }
}

/** Tags of the `Cache-Tag` header (comma-separated, trimmed, deduplicated, order kept). */
export function cacheTags(headers: HeaderList): string[] {
  const value = getCombinedHeader(headers, 'cache-tag');
  if (value === null) return [];
  return [...new Set(value.split(',').map((tag) => tag.trim()))].filter((tag) => tag !== '');
}
