/**
 * Pieces downloaded in windows (`windowed-body.ts`): a page's long range on a miss (a `<video>`'s
 * `bytes=0-`) is asked of the origin one window at a time and stored as one piece, so a read the
 * page drops stops at a window's end with every byte the origin sent stored.
 */
import type { ByteSpan } from '../core/byte-spans.ts';
import { parseRange, type PartialCacheability } from '../core/http/index.ts';
import { variantHash, type CacheKey } from '../core/key.ts';
import { NoCacheReason } from '../core/phase.ts';
import type { PieceWriter } from '../core/storage.ts';
import { admit } from './admission.ts';
import { emptyBody, fanOutToStore, type FanOut } from './body-stream.ts';
import type { CacheStatus } from './cache-status-format.ts';
import { debugKey, type FlowDeps, type RequestContext } from './flow-deps.ts';
import {
  admitPiece,
  exactPiece,
  ifRangeValue,
  pieceSink,
  pieceVerdict,
  type PieceContext,
} from './piece-admission.ts';
import type { PieceDownload, PiecesInFlight } from './pieces-in-flight.ts';
import { forwardedResponse } from './respond.ts';
import { askOrigin, askOriginOnce, upstreamRequest, type Upstream } from './upstream.ts';
import { firstWindow, UPSTREAM_WINDOW_BYTES, WINDOW_DRAIN, windowedBody } from './windowed-body.ts';

type StorablePiece = PartialCacheability & { cacheable: true };

/**
 * The page's range when it is worth windowing: one range from a byte position (not a suffix),
 * longer than a window or open (`end` infinite); else `undefined`.
 */
export function windowedRange(request: Request): ByteSpan | undefined {
  const field = request.headers.get('range');
  if (request.method !== 'GET' || field === null || !/^\s*bytes\s*=\s*\d/i.test(field)) {
    return undefined;
  }
  const spec = parseRange(field, Number.MAX_SAFE_INTEGER);
  if (spec.kind !== 'single') return undefined;
  const end = spec.end === Number.MAX_SAFE_INTEGER - 1 ? Infinity : spec.end + 1;
  return end - spec.start > UPSTREAM_WINDOW_BYTES ? { start: spec.start, end } : undefined;
}

/**
 * A miss for a long range (`windowedRange`), nothing stored: asks the origin for its first
 * window. A 206 of exactly that window is stored as a piece, the next windows asked ahead as
 * the page reads, and the page gets the 206 of its whole range. Any other answer: a 200 is
 * admitted as the whole response; a 206 that covers the page's range, or that may not be
 * stored, goes on as the page's own request would.
 */
export async function fetchWindowedMiss(
  ctx: RequestContext,
  inFlight: PiecesInFlight,
  wanted: ByteSpan,
): Promise<Response> {
  const { deps, cache, request, waitUntil } = ctx;
  const window = firstWindow(wanted);
  const headers = new Headers(request.headers);
  headers.set('range', `bytes=${window.start}-${window.end - 1}`);
  cache.cacheMiss();
  const upstream = await askOriginOnce(ctx, upstreamRequest(request, headers));
  const { response } = upstream;
  if (response.status !== 206) return admit(ctx, upstream, 'uri-miss');
  const verdict = pieceVerdict(deps, request, upstream);
  if (!verdict.cacheable) return ownRequest(ctx, upstream, inFlight);
  const { length } = verdict.representation;
  const span = { start: wanted.start, end: Math.min(wanted.end, length) };
  const first = { start: window.start, end: Math.min(window.end, length) };
  if (!exactPiece(verdict, first, verdict.representation)) {
    return ownRequest(ctx, upstream, inFlight);
  }
  if (first.end >= span.end) {
    // One window holds the whole range: stored to its end even when the page drops it.
    return admitPiece(ctx, upstream, 'uri-miss', inFlight, verdict, WINDOW_DRAIN);
  }
  const key = cache.cacheKey();
  let writer;
  try {
    writer = await deps.storage.getPieceWriter!(key, {
      meta: verdict.meta,
      representation: verdict.representation,
      offset: span.start,
    });
  } catch (error) {
    deps.log('could not start storing a piece; serving from the network', error);
    return ownRequest(ctx, upstream, inFlight);
  }
  // Registered before the lock is released: a request that waited on it finds the download.
  const download = inFlight.start(variantHash(key), span);
  if (cache.enabled()) cache.disable(NoCacheReason.Deferred);
  const fanOut = storeWindows(ctx, verdict, upstream, { key, writer, download }, span);
  waitUntil(fanOut.stored);
  const answer = new Headers(response.headers);
  answer.set('content-range', `bytes ${span.start}-${span.end - 1}/${length}`);
  answer.set('content-length', String(span.end - span.start));
  const status: CacheStatus = {
    fwd: 'uri-miss',
    fwdStatus: 206,
    key: debugKey(ctx),
    stored: true,
    detail: 'partial',
  };
  return forwardedResponse(
    new Response(null, { status: 206, statusText: response.statusText, headers: answer }),
    status,
    fanOut.stream,
  );
}

/**
 * Stores `span` as one piece: the body of `upstream` (its first window, as `verdict` says), then
 * the next windows with `If-Range`, each asked ahead. When the page stops reading, the windows
 * already asked (the one being read, the one asked ahead) are stored to their end and no
 * further window is asked for. What the stored piece evicts is purged after the body ends, under
 * `ctx.waitUntil` (`pieceSink`).
 */
export function storeWindows(
  ctx: PieceContext,
  verdict: StorablePiece,
  upstream: Upstream,
  { key, writer, download }: { key: CacheKey; writer: PieceWriter; download: PieceDownload },
  span: ByteSpan,
): FanOut {
  const { deps, request } = ctx;
  const firstEnd = verdict.range.end + 1;
  const body = windowedBody(upstream.response.body ?? emptyBody(), firstEnd, span, (window) =>
    askWindow(deps, request, verdict, window),
  );
  const sink = pieceSink(ctx, key, writer, download, span.start, verdict.meta.freshUntil);
  return fanOutToStore(body.stream, sink, {
    ...WINDOW_DRAIN,
    onCancel: () => body.stopAfterWindow(),
  });
}

/** One window of the representation `verdict` names, with `If-Range`; rejects on anything else. */
async function askWindow(
  deps: FlowDeps,
  request: Request,
  verdict: StorablePiece,
  window: ByteSpan,
): Promise<ReadableStream<Uint8Array>> {
  const headers = new Headers(request.headers);
  headers.set('range', `bytes=${window.start}-${window.end - 1}`);
  headers.set('if-range', ifRangeValue(verdict));
  const next = await askOrigin(deps, upstreamRequest(request, headers));
  if (!exactPiece(pieceVerdict(deps, request, next), window, verdict.representation)) {
    await next.response.body?.cancel();
    throw new Error('the origin did not send the next window of the same representation');
  }
  return next.response.body ?? emptyBody();
}

/** The first window is not to be stored as one: the page's own request, as a plain miss. */
async function ownRequest(
  ctx: RequestContext,
  upstream: Upstream,
  inFlight: PiecesInFlight,
): Promise<Response> {
  await upstream.response.body?.cancel();
  const own = await askOrigin(ctx.deps, upstreamRequest(ctx.request));
  return admitPiece(ctx, own, 'uri-miss', inFlight);
}
