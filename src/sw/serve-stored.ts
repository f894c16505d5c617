/**
 * Answering from a stored entry: a 304 for the page's own matching conditional request
 * (RFC 9110 §13.1), a 206 or 416 for a range (RFC 9110 §14), or the whole stored response (its
 * body a Blob when the storage keeps it as one).
 */
import { isNotModified } from '../core/http/index.ts';
import type { CacheStatus } from './cache-status-format.ts';
import type { RequestContext } from './flow-deps.ts';
import { rangeResponse } from './range-response.ts';
import { notModifiedResponse, storedResponse } from './respond.ts';

export async function serveStored(
  { deps, cache, request }: RequestContext,
  status: CacheStatus,
): Promise<Response> {
  const meta = cache.cacheMeta();
  const hit = cache.hitHandler();
  const now = deps.now();
  if (isNotModified(request.method, request.headers, meta)) {
    void hit.finish();
    return notModifiedResponse(meta, now, status);
  }
  return (
    (await rangeResponse(request, meta, hit, now, status, deps.multipartRanges)) ??
    storedResponse(meta, hit, request.method, now, status)
  );
}
