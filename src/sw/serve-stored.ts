/**
 * Answering from a stored entry: a 304 for the page's own matching conditional request
 * (RFC 9110 §13.1), a 206 or 416 for a range (RFC 9110 §14), or the whole stored response.
 */
import type { HttpCache } from '../core/http-cache.ts';
import { isNotModified } from '../core/http/index.ts';
import type { CacheStatus } from './cache-status.ts';
import type { FlowDeps } from './flow-deps.ts';
import { rangeResponse } from './range-response.ts';
import { hitResponse, notModifiedResponse } from './respond.ts';

export function serveStored(
  deps: FlowDeps,
  cache: HttpCache,
  request: Request,
  status: CacheStatus,
): Response {
  const meta = cache.cacheMeta();
  const hit = cache.hitHandler();
  const now = deps.now();
  if (isNotModified(request.method, request.headers, meta)) {
    void hit.finish();
    return notModifiedResponse(meta, now, status);
  }
  return (
    rangeResponse(request, meta, hit, now, status) ??
    hitResponse(meta, hit, request.method, now, status)
  );
}

/** The key for `Cache-Status; key=`, only when debugging. */
export function debugKey(deps: FlowDeps, cache: HttpCache): string | undefined {
  return deps.options.debug ? cache.cacheKey().primary : undefined;
}
