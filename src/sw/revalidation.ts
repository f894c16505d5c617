/**
 * Revalidating a stale entry (RFC 9111 §4.3): a conditional request built on the current
 * request; a 304 freshens the stored headers and keeps the body (§4.3.4); a 200 replaces the
 * entry; an origin that fails leaves the stale entry to serve where `stale-if-error` allows.
 */
import {
  canServeDisconnected,
  canServeStaleIfError,
  freshenWith304,
  revalidationHeaders,
} from '../core/http/index.ts';
import { LockStatus } from '../core/lock.ts';
import type { CacheMeta } from '../core/meta.ts';
import type { NoCacheReason } from '../core/phase.ts';
import { admit } from './admission.ts';
import { debugKey, type RequestContext } from './flow-deps.ts';
import { storedResponse } from './respond.ts';
import { serveStored } from './serve-stored.ts';
import {
  askOrigin,
  askOriginOnce,
  requestSnapshot,
  upstreamRequest,
  type Upstream,
} from './upstream.ts';

export async function revalidate(ctx: RequestContext, stale: CacheMeta): Promise<Response> {
  const { cache, request } = ctx;
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(revalidationHeaders(stale))) headers.set(name, value);
  let upstream: Upstream;
  try {
    upstream = await askOriginOnce(ctx, upstreamRequest(request, headers));
  } catch (error) {
    // askOrigin rejects with an UpstreamError already: pass it on when nothing stored may stand in.
    const rule = staleRuleWhenUnreachable(ctx, cache.cacheMeta());
    if (rule !== undefined) return serveStaleOnError(ctx, undefined, rule);
    throw error;
  }
  const { response } = upstream;
  if (response.status === 304) return serveRevalidated(ctx, upstream);
  if (response.status >= 500 && canServeStaleOnError(ctx)) {
    void response.body?.cancel();
    return serveStaleOnError(ctx, response.status);
  }
  await cache.finishHitHandler();
  return admit(ctx, upstream, 'stale');
}

async function serveRevalidated(ctx: RequestContext, upstream: Upstream): Promise<Response> {
  const { deps, cache, request, waitUntil } = ctx;
  const result = freshenWith304(
    cache.cacheMeta(),
    requestSnapshot(request),
    upstream.response.headers,
    upstream,
    {
      cacheAuthorized: deps.options.cacheAuthorized,
    },
  );
  const status = { fwd: 'stale' as const, fwdStatus: 304, key: debugKey(ctx) };
  switch (result.kind) {
    case 'updated':
      await cache.revalidateCacheMeta(result.meta);
      return serveStored(ctx, status);
    case 'uncacheable':
      // Serve the merged response this once, then drop the entry (pingora
      // `revalidate_uncacheable`).
      cache.revalidateUncacheable(result.headers, result.reason);
      waitUntil(deps.storage.purge(cache.cacheKey(), 'invalidation'));
      return serveStored(ctx, { ...status, detail: result.detail });
    case 'mismatch': {
      // The 304 is about another representation (RFC 9111 §4.3.4): fetch it in full.
      await cache.finishHitHandler();
      const fresh = await askOrigin(deps, upstreamRequest(request));
      return admit(ctx, fresh, 'stale');
    }
  }
}

/** The response's `stale-if-error` window, or the request's own (RFC 5861 §4). */
function canServeStaleOnError({ deps, cache, request }: RequestContext): boolean {
  return (
    cache.canServeStaleError() ||
    canServeStaleIfError(cache.cacheMeta(), deps.now(), request.headers)
  );
}

/**
 * Serves the stored entry in place of the origin's failure; `detail` says which rule allowed it:
 * the `stale-if-error` window, or disconnected operation (`origin-unreachable`, §4.2.4).
 */
function serveStaleOnError(
  ctx: RequestContext,
  fwdStatus?: number,
  detail: 'stale-if-error' | 'origin-unreachable' = 'stale-if-error',
): Promise<Response> {
  const { deps, cache, request } = ctx;
  // This request locked the key to revalidate it; the entry is unchanged, so the requests
  // waiting on it compete again now instead of waiting for the lock to time out.
  if (cache.isCacheLockWriter()) cache.takeWriteLock().release(LockStatus.TransientError);
  return storedResponse(cache.cacheMeta(), cache.hitHandler(), request.method, deps.now(), {
    fwd: 'stale',
    fwdStatus,
    detail,
    key: debugKey(ctx),
  });
}

/**
 * A request that gave up waiting for the request revalidating its entry (the lock timed out)
 * asks the origin on its own, uncached. When the origin cannot be reached, the stale entry it
 * found is served as a failed revalidation's would be (`stale-if-error`, or disconnected
 * operation, RFC 9111 §4.2.4): the wait must not turn an offline visit into a network error.
 */
export async function forwardOrServeStale(
  ctx: RequestContext,
  reason: NoCacheReason,
  forward: () => Promise<Response>,
): Promise<Response> {
  const { deps, cache, request } = ctx;
  const meta = cache.cacheMeta();
  const hit = cache.hitHandler();
  cache.disable(reason);
  let response: Response;
  try {
    response = await forward();
  } catch (error) {
    const detail = staleRuleWhenUnreachable(ctx, meta);
    if (detail === undefined) {
      await hit.finish();
      throw error;
    }
    return storedResponse(meta, hit, request.method, deps.now(), {
      fwd: 'stale',
      detail,
      key: debugKey(ctx),
    });
  }
  await hit.finish();
  return response;
}

/**
 * Which rule lets `stale` stand in for an origin that cannot be reached: its (or the request's)
 * `stale-if-error` window, else disconnected operation (RFC 9111 §4.2.4); none when neither does.
 */
function staleRuleWhenUnreachable(
  { deps, request }: RequestContext,
  stale: CacheMeta,
): 'stale-if-error' | 'origin-unreachable' | undefined {
  const now = deps.now();
  if (canServeStaleIfError(stale, now, request.headers)) return 'stale-if-error';
  const { offlineMaxStale } = deps.options;
  return canServeDisconnected(stale, now, request.headers, offlineMaxStale)
    ? 'origin-unreachable'
    : undefined;
}
