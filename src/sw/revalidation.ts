/**
 * Revalidating a stale entry (RFC 9111 §4.3): a conditional request built on the current
 * request; a 304 freshens the stored headers and keeps the body (§4.3.4); a 200 replaces the
 * entry; an origin that fails leaves the stale entry to serve where `stale-if-error` allows.
 */
import type { HttpCache } from '../core/http-cache.ts';
import { canServeStaleIfError, freshenWith304, revalidationHeaders } from '../core/http/index.ts';
import { LockStatus } from '../core/lock.ts';
import type { CacheMeta } from '../core/meta.ts';
import { admit } from './admission.ts';
import type { FlowDeps } from './flow-deps.ts';
import { storedResponse } from './respond.ts';
import { debugKey, serveStored } from './serve-stored.ts';
import { askOrigin, requestSnapshot, upstreamRequest, type Upstream } from './upstream.ts';

type WaitUntil = (promise: Promise<unknown>) => void;

export async function revalidate(
  deps: FlowDeps,
  cache: HttpCache,
  request: Request,
  stale: CacheMeta,
  waitUntil: WaitUntil,
): Promise<Response> {
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(revalidationHeaders(stale))) headers.set(name, value);
  let upstream: Upstream;
  try {
    upstream = await askOrigin(deps, upstreamRequest(request, headers));
  } catch (error) {
    // askOrigin rejects with an UpstreamError already: pass it on when nothing stale may stand in.
    if (canServeStaleOnError(deps, cache, request)) return serveStaleOnError(deps, cache, request);
    throw error;
  }
  const { response } = upstream;
  if (response.status === 304) return serveRevalidated(deps, cache, request, upstream, waitUntil);
  if (response.status >= 500 && canServeStaleOnError(deps, cache, request)) {
    void response.body?.cancel();
    return serveStaleOnError(deps, cache, request, response.status);
  }
  await cache.finishHitHandler();
  return admit(deps, cache, request, upstream, waitUntil, 'stale');
}

async function serveRevalidated(
  deps: FlowDeps,
  cache: HttpCache,
  request: Request,
  upstream: Upstream,
  waitUntil: WaitUntil,
): Promise<Response> {
  const result = freshenWith304(
    cache.cacheMeta(),
    requestSnapshot(request),
    upstream.response.headers,
    upstream,
    {
      cacheAuthorized: deps.options.cacheAuthorized,
    },
  );
  const status = { fwd: 'stale' as const, fwdStatus: 304, key: debugKey(deps, cache) };
  switch (result.kind) {
    case 'updated':
      await cache.revalidateCacheMeta(result.meta);
      return serveStored(deps, cache, request, status);
    case 'uncacheable':
      // Serve the merged response this once, then drop the entry (pingora
      // `revalidate_uncacheable`).
      cache.revalidateUncacheable(result.headers, result.reason);
      waitUntil(deps.storage.purge(cache.cacheKey(), 'invalidation'));
      return serveStored(deps, cache, request, { ...status, detail: result.detail });
    case 'mismatch': {
      // The 304 is about another representation (RFC 9111 §4.3.4): fetch it in full.
      await cache.finishHitHandler();
      const fresh = await askOrigin(deps, upstreamRequest(request));
      return admit(deps, cache, request, fresh, waitUntil, 'stale');
    }
  }
}

/** The response's `stale-if-error` window, or the request's own (RFC 5861 §4). */
function canServeStaleOnError(deps: FlowDeps, cache: HttpCache, request: Request): boolean {
  return (
    cache.canServeStaleError() ||
    canServeStaleIfError(cache.cacheMeta(), deps.now(), request.headers)
  );
}

function serveStaleOnError(
  deps: FlowDeps,
  cache: HttpCache,
  request: Request,
  fwdStatus?: number,
): Promise<Response> {
  // This request locked the key to revalidate it; the entry is unchanged, so the requests
  // waiting on it compete again now instead of waiting for the lock to time out.
  if (cache.isCacheLockWriter()) cache.takeWriteLock().release(LockStatus.TransientError);
  return storedResponse(cache.cacheMeta(), cache.hitHandler(), request.method, deps.now(), {
    fwd: 'stale',
    fwdStatus,
    detail: 'stale-if-error',
    key: debugKey(deps, cache),
  });
}
