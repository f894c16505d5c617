/**
 * Can a stored response answer this request now? (RFC 9111 §4, §4.2.4, §5.2.1; RFC 5861;
 * RFC 8246.)
 */

import type { CacheMeta } from '../meta.ts';
import { getCombinedHeader } from '../meta.ts';
import { HitStatus } from '../phase.ts';
import { parseCacheControl, requestCacheControl } from './cache-control.ts';
import type { CacheControl } from './cache-control.ts';
import { exactAge, isFreshAt } from './age.ts';

/**
 * What to do with a stored response:
 * - `use`: it is fresh and the request accepts it;
 * - `use-stale`: it is stale but the request's `max-stale` accepts it (no origin contact);
 * - `use-stale-and-revalidate`: serve it now and revalidate in the background (RFC 5861 §3);
 * - `revalidate`: ask the origin (conditionally) before using it.
 */
export type ReuseAction = 'use' | 'use-stale' | 'use-stale-and-revalidate' | 'revalidate';

export interface ReuseDecision {
  readonly action: ReuseAction;
  /**
   * `fresh` when the response is fresh and acceptable; `force_expired` when it is fresh but the
   * request refuses it (`no-cache`, `max-age`, `min-fresh`); otherwise `expired`.
   */
  readonly status: HitStatus;
  /**
   * The request said `only-if-cached` (§5.2.1.7): when {@link action} is `revalidate` the caller
   * answers 504 instead of contacting the origin.
   */
  readonly onlyIfCached: boolean;
}

type ReuseMeta = Pick<
  CacheMeta,
  'headers' | 'initialAge' | 'responseTime' | 'freshUntil' | 'staleWhileRevalidateUntil'
> &
  Pick<CacheMeta, 'mustRevalidate'>;

/**
 * Decides how a stored response may answer a request at `now`:
 * 1. request `no-cache` (or `Pragma: no-cache` without `Cache-Control`, §5.4) → revalidate;
 * 2. request `max-age=N`: an age above N → revalidate (§5.2.1.1), except that a fresh
 *    `immutable` response ignores it: a browser reload sends `max-age=0`, and RFC 8246 §2 asks
 *    clients not to revalidate fresh immutable responses on reload; an explicit `no-cache`
 *    (a forced reload, Fetch's `no-cache` mode) still revalidates;
 * 3. request `min-fresh=N`: less than N seconds of freshness left → revalidate (§5.2.1.3);
 * 4. fresh → use;
 * 5. stale: within the request's `max-stale` → use-stale (§5.2.1.2), unless the response says
 *    `must-revalidate` or `no-cache` (§5.2.2.2, §4.2.4);
 * 6. within the stale-while-revalidate window → use-stale-and-revalidate;
 * 7. otherwise → revalidate.
 */
export function evaluateReuse(
  meta: ReuseMeta,
  requestHeaders: Headers,
  now: number,
): ReuseDecision {
  const request = requestCacheControl(requestHeaders);
  const response = storedCacheControl(meta);
  const fresh = isFreshAt(meta, now);
  const decide = (action: ReuseAction, status: HitStatus): ReuseDecision => ({
    action,
    status,
    onlyIfCached: request.onlyIfCached,
  });
  const refused = (): ReuseDecision =>
    decide('revalidate', fresh ? HitStatus.ForceExpired : HitStatus.Expired);

  if (request.noCache) return refused();
  const age = exactAge(meta, now);
  const immutableFresh = fresh && response.immutable;
  if (request.maxAge !== undefined && !immutableFresh && age > request.maxAge) return refused();
  const remaining = (meta.freshUntil - now) / 1000;
  if (request.minFresh !== undefined && remaining < request.minFresh) return refused();
  if (fresh) return decide('use', HitStatus.Fresh);

  const staleness = -remaining;
  if (!meta.mustRevalidate && request.maxStale !== undefined && staleness <= request.maxStale) {
    return decide('use-stale', HitStatus.Expired);
  }
  if (canServeStaleWhileRevalidate(meta, now)) {
    return decide('use-stale-and-revalidate', HitStatus.Expired);
  }
  return decide('revalidate', HitStatus.Expired);
}

/**
 * Whether a reload may reuse the stored response without asking the origin: it is `immutable`
 * and the request itself accepts it fresh (RFC 8246 §2: clients should not revalidate a fresh
 * immutable response on reload). A reload is Fetch's `no-cache` mode, which sends `max-age=0`;
 * an explicit request `no-cache` or an unmet `min-fresh` still refuse it.
 */
export function reusableOnReload(meta: ReuseMeta, requestHeaders: Headers, now: number): boolean {
  return (
    storedCacheControl(meta).immutable && evaluateReuse(meta, requestHeaders, now).action === 'use'
  );
}

/**
 * Whether a stale response may be served while it revalidates (RFC 5861 §3): stale, inside the
 * response's `stale-while-revalidate` window, and not `must-revalidate` / `no-cache`.
 * Request directives are checked by {@link evaluateReuse}, which calls this.
 */
export function canServeStaleWhileRevalidate(
  meta: Pick<CacheMeta, 'freshUntil' | 'staleWhileRevalidateUntil' | 'mustRevalidate'>,
  now: number,
): boolean {
  return !meta.mustRevalidate && now >= meta.freshUntil && now < meta.staleWhileRevalidateUntil;
}

/**
 * Whether the stored response may answer when revalidation failed (origin error, 5xx, network
 * down): within the response's `stale-if-error` window, or within the request's own
 * `stale-if-error=N` (RFC 5861 §4 defines it for requests too). Never for `must-revalidate` /
 * `no-cache` responses: RFC 9111 §5.2.2.2 requires a 504 then, and §4.2.1 asks for the most
 * restrictive directive when they conflict.
 */
export function canServeStaleIfError(
  meta: Pick<CacheMeta, 'freshUntil' | 'staleIfErrorUntil' | 'mustRevalidate'>,
  now: number,
  requestHeaders?: Headers,
): boolean {
  if (meta.mustRevalidate) return false;
  if (now < meta.staleIfErrorUntil) return true;
  const requested = requestHeaders ? requestCacheControl(requestHeaders).staleIfError : undefined;
  return requested !== undefined && (now - meta.freshUntil) / 1000 <= requested;
}

/**
 * Whether the stored response may answer when the origin cannot be reached at all (a network
 * error, a connection reset before the headers, the upstream timeout): RFC 9111 §4.2.4 lets a
 * cache "disconnected from the origin server" serve a stale response unless a directive forbids
 * it, without any `stale-if-error`. Forbidden by the response's `must-revalidate` or `no-cache`
 * (§5.2.2.2, §5.2.2.4) and, although §5.2.2.8 addresses shared caches, `proxy-revalidate` too
 * (the origin asked for validation before reuse by a cache between it and the user); by the
 * request's `no-cache` (§5.2.1.4), a `min-fresh` the response does not meet (§5.2.1.3) and a
 * `max-stale=N` it exceeds (§5.2.1.2). `maxStaleSeconds` is the cache's own bound (`Infinity`:
 * any staleness; `0` or less: never, the rule is off).
 */
export function canServeDisconnected(
  meta: Pick<CacheMeta, 'headers' | 'freshUntil' | 'mustRevalidate'>,
  now: number,
  requestHeaders: Headers,
  maxStaleSeconds: number,
): boolean {
  if (!(maxStaleSeconds > 0) || meta.mustRevalidate) return false;
  if (storedCacheControl(meta).proxyRevalidate) return false;
  const request = requestCacheControl(requestHeaders);
  if (request.noCache) return false;
  const staleness = (now - meta.freshUntil) / 1000;
  if (request.minFresh !== undefined && -staleness < request.minFresh) return false;
  if (request.maxStale !== undefined && staleness > request.maxStale) return false;
  return staleness <= maxStaleSeconds;
}

function storedCacheControl(meta: Pick<CacheMeta, 'headers'>): CacheControl {
  return parseCacheControl(getCombinedHeader(meta.headers, 'cache-control'));
}
