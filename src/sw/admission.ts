/**
 * Admission: whether the origin's response may be stored (RFC 9111 §3), and storing it while
 * it streams to the page.
 */
import { responseCacheability } from '../core/http/index.ts';
import { ResponseTooLargeError } from '../core/max-file-size.ts';
import { NoCacheReason } from '../core/phase.ts';
import { emptyBody, fanOutToStore, type BodySink } from './body-stream.ts';
import type { CacheStatus, ForwardReason } from './cache-status-format.ts';
import { debugKey, type RequestContext } from './flow-deps.ts';
import { updateFromHead } from './head-update.ts';
import { forwardedResponse } from './respond.ts';
import { requestSnapshot, type Upstream } from './upstream.ts';
import type { TrackedWrite } from './write-tracker.ts';

/**
 * Stores `upstream` if it may be stored, and answers the page either way. The body is split
 * between the page and storage as it arrives; `waitUntil` keeps the worker alive until it is
 * stored. A storage failure never breaks the page's response. `fwdStatus` is what the origin
 * answered when `upstream` stands for a stored body it selected with a 304.
 */
export async function admit(
  ctx: RequestContext,
  upstream: Upstream,
  fwd: ForwardReason,
  fwdStatus = upstream.response.status,
): Promise<Response> {
  const { deps, cache, request, waitUntil } = ctx;
  const { response } = upstream;
  const status: CacheStatus = { fwd, fwdStatus, key: debugKey(ctx) };
  if (request.method === 'HEAD') {
    // A HEAD response has no body to store; HEAD is answered from a stored GET instead, which
    // its answer may update (RFC 9111 §4.3.5).
    cache.disable(NoCacheReason.Deferred);
    await updateFromHead(deps, request, upstream);
    return forwardedResponse(response, status);
  }
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.redirected) {
    // Unreadable (opaque) or for another URL (redirected): storing it under this key would be wrong.
    cache.disable(NoCacheReason.OriginNotCache);
    return forwardedResponse(response, { ...status, detail: 'not-storable-type' });
  }
  const pieces = deps.partialContent;
  if (response.status === 206 && request.headers.has('range') && request.method === 'GET') {
    // A piece of a sparse entry (docs/partial-content.md), with the partialContent() feature;
    // without it, refused below like any 206.
    if (pieces !== undefined) return pieces.admit(ctx, upstream, fwd);
  }
  const verdict = responseCacheability(requestSnapshot(request), response, upstream, {
    cacheAuthorized: deps.options.cacheAuthorized,
  });
  if (!verdict.cacheable) {
    // A 206 answers this Range request only: the full resource may well be cacheable, so the
    // predictor must not learn from it.
    const partial = response.status === 206 && request.headers.has('range');
    if (!partial) cache.responseBecameUncacheable(verdict.reason);
    cache.disable(partial ? NoCacheReason.Deferred : verdict.reason);
    return forwardedResponse(response, { ...status, detail: verdict.detail });
  }
  cache.responseBecameCacheable();
  cache.setCacheMeta(verdict.meta);
  cache.updateVariance(verdict.meta.variance);
  try {
    await cache.setMissHandler();
  } catch (error) {
    deps.log('could not start storing; serving from the network', error);
    cache.disable(NoCacheReason.StorageError);
    return forwardedResponse(response, { ...status, detail: NoCacheReason.StorageError });
  }
  const write = deps.writes?.begin(cache.cacheKey().primary, response, verdict.meta, deps.now());
  const fanOut = fanOutToStore(response.body ?? emptyBody(), storeSink(ctx, write));
  waitUntil(fanOut.stored);
  return forwardedResponse(response, { ...status, stored: true }, fanOut.stream);
}

/**
 * Writes through the request's miss handler; a failure disables caching with its reason. An
 * origin that cuts the body is an upstream failure (the page gets a network error too), not a
 * storage one.
 */
function storeSink(
  { deps, cache, waitUntil }: RequestContext,
  write: TrackedWrite | undefined,
): BodySink {
  return {
    write: async (chunk) => {
      await cache.missHandler()?.write(chunk);
      write?.wrote(chunk.byteLength);
    },
    finish: async () => {
      try {
        // The page's body ends once the entry is stored; what it evicted goes after.
        const { evicting } = await cache.finishMissHandler();
        waitUntil(evicting);
      } finally {
        write?.end();
      }
    },
    abort: (reason, cause) => {
      write?.end();
      deps.storeFailed?.(cause);
      const tooLarge = reason instanceof ResponseTooLargeError;
      if (cause === 'upstream') {
        deps.log(
          'the origin failed mid-body; the page gets a network error, nothing is stored',
          reason,
        );
      } else {
        deps.log('storing failed; the page still gets the whole body', reason);
      }
      if (tooLarge) cache.responseBecameUncacheable(NoCacheReason.ResponseTooLarge);
      const why =
        cause === 'upstream'
          ? NoCacheReason.UpstreamError
          : tooLarge
            ? NoCacheReason.ResponseTooLarge
            : NoCacheReason.StorageError;
      // disable() aborts the miss handler and releases a write lock with the matching status.
      if (cache.enabled()) cache.disable(why);
      return Promise.resolve();
    },
  };
}
