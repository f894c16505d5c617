/**
 * A sparse entry when the origin is unreachable: the held start of the range asked for is
 * answered (`docs/partial-content.md`).
 */
import type { ByteSpan } from '../core/byte-spans.ts';
import { NoCacheReason } from '../core/phase.ts';
import type { SparseLookup } from '../core/storage.ts';
import { debugKey, type RequestContext } from './flow-deps.ts';
import { rangeResponse } from './range-response.ts';

/**
 * The held bytes `span` starts with, or `undefined` when its first byte is not held: what can
 * still be answered when the origin is unreachable.
 */
export function heldPrefix(sparse: SparseLookup, span: ByteSpan): ByteSpan | undefined {
  const first = sparse.spans.find((s) => s.start <= span.start && span.start < s.end);
  return first === undefined
    ? undefined
    : { start: span.start, end: Math.min(first.end, span.end) };
}

/**
 * The origin is unreachable: a 206 of the bytes held from the start of the range on (a server
 * may send fewer bytes than asked, RFC 9110 §15.3.7; a media element asks for the rest later),
 * so what was played plays again offline.
 */
export async function servePrefix(
  ctx: RequestContext,
  sparse: SparseLookup,
  prefix: ByteSpan,
): Promise<Response> {
  const { deps, cache, request } = ctx;
  const headers = new Headers(request.headers);
  headers.set('range', `bytes=${prefix.start}-${prefix.end - 1}`);
  const narrowed = new Request(request.url, { headers });
  const status = { fwd: 'partial' as const, detail: 'origin-unreachable', key: debugKey(ctx) };
  if (cache.enabled()) cache.disable(NoCacheReason.UpstreamError);
  const answer = await rangeResponse(
    narrowed,
    sparse.meta,
    sparse.hit,
    deps.now(),
    status,
    deps.multipartRanges,
  );
  if (answer === null) throw new Error('a held range was not answered');
  return answer;
}
