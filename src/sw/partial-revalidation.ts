/**
 * A stale sparse entry whose pieces hold every byte asked for: revalidated with the stored
 * validators (RFC 9111 §4.3.1, `docs/partial-content.md`).
 */
import { freshenWith304, revalidationHeaders } from '../core/http/index.ts';
import { NoCacheReason } from '../core/phase.ts';
import type { SparseLookup } from '../core/storage.ts';
import { admit } from './admission.ts';
import { debugKey, type RequestContext } from './flow-deps.ts';
import { admitPiece } from './piece-admission.ts';
import type { PiecesInFlight } from './pieces-in-flight.ts';
import { rangeResponse } from './range-response.ts';
import { askOriginOnce, requestSnapshot, upstreamRequest } from './upstream.ts';

/**
 * Every byte asked for is held but the entry is stale: ask the origin with the stored validators
 * and the page's `Range`. A 304 freshens the entry (its pieces stay); a 206 is a piece of
 * whatever the origin has now; a 200 replaces the entry.
 */
export async function revalidatePieces(
  ctx: RequestContext,
  inFlight: PiecesInFlight,
  sparse: SparseLookup,
): Promise<Response> {
  const { deps, cache, request } = ctx;
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(revalidationHeaders(sparse.meta))) {
    headers.set(name, value);
  }
  cache.cacheMiss();
  let upstream;
  try {
    upstream = await askOriginOnce(ctx, upstreamRequest(request, headers));
  } catch (error) {
    await sparse.hit.finish();
    throw error;
  }
  const { response } = upstream;
  if (response.status === 304) {
    const freshened = freshenWith304(
      sparse.meta,
      requestSnapshot(request),
      response.headers,
      upstream,
      {
        cacheAuthorized: deps.options.cacheAuthorized,
      },
    );
    if (freshened.kind === 'updated') {
      await deps.storage.updateMeta(cache.cacheKey(), freshened.meta);
      const status = {
        fwd: 'stale' as const,
        fwdStatus: 304,
        detail: `partial-${sparse.hit.source}`,
        key: debugKey(ctx),
      };
      const answer = await rangeResponse(
        request,
        freshened.meta,
        sparse.hit,
        deps.now(),
        status,
        deps.multipartRanges,
      );
      if (answer !== null) {
        cache.disable(NoCacheReason.Deferred);
        return answer;
      }
    }
    // Not about these pieces, or no longer a range to answer: the page's own request.
    await sparse.hit.finish();
    const own = await askOriginOnce(ctx, upstreamRequest(request));
    return admitPiece(ctx, own, 'stale', inFlight);
  }
  await sparse.hit.finish();
  if (response.status === 206) return admitPiece(ctx, upstream, 'stale', inFlight);
  return admit(ctx, upstream, 'stale');
}
