/**
 * Range requests answered from a sparse entry (`docs/partial-content.md`): a range the pieces
 * hold is served from storage; one they hold in part fetches only the missing bytes (with
 * `If-Range`, so a changed representation is noticed), stitches the answer from storage as the
 * bytes land, and stores them; a stale entry is revalidated (a 304 keeps its pieces).
 */
import { addSpan, coversSpan, missingSpans, type ByteSpan } from '../core/byte-spans.ts';
import {
  evaluateReuse,
  ifRangeAllows,
  parseRange,
  sameRepresentation,
  varianceHash,
} from '../core/http/index.ts';
import type { RangeSpec } from '../core/http/range.ts';
import { variantHash } from '../core/key.ts';
import { NoCacheReason } from '../core/phase.ts';
import type { HitHandler, SparseLookup } from '../core/storage.ts';
import { admit } from './admission.ts';
import type { CacheStatus } from './cache-status-format.ts';
import { debugKey, type RequestContext } from './flow-deps.ts';
import { fetchRest } from './fetch-rest.ts';
import { heldPrefix, servePrefix } from './partial-offline.ts';
import { revalidatePieces } from './partial-revalidation.ts';
import { FollowingSparseHit } from './following-sparse-hit.ts';
import { admitPiece, ifRangeValue, pieceVerdict } from './piece-admission.ts';
import type { SparseLookAhead } from './sparse-look-ahead.ts';
import type { PiecesInFlight } from './pieces-in-flight.ts';
import { rangeResponse } from './range-response.ts';
import { storedResponse } from './respond.ts';
import { askOriginOnce, UpstreamError, upstreamRequest } from './upstream.ts';
import { firstWindow } from './windowed-body.ts';
import { fetchWindowedMiss, storeWindows, windowedRange } from './windowed-piece.ts';

/**
 * The answer to a GET with `Range` when nothing complete is stored but a sparse entry is, or
 * `null` to go on as a plain miss (no sparse entry, a `Range` to ignore, several ranges not all
 * held, an `If-Range` of the page's that the entry does not match). Called where the flow would
 * fetch a miss, with the request's `HttpCache` holding the lock of a miss.
 */
export async function answerFromPieces(
  ctx: RequestContext,
  inFlight: PiecesInFlight,
  early?: SparseLookAhead,
): Promise<Response | null> {
  const { request } = ctx;
  if (request.method !== 'GET') return null;
  const sparse = await (early?.take() ?? lookUpPieces(ctx));
  if (sparse === null) {
    // Nothing stored: a long range is fetched in windows, else it is a plain miss.
    const long = windowedRange(request);
    return long === undefined ? null : fetchWindowedMiss(ctx, inFlight, long);
  }
  const use = assess(ctx, sparse);
  if (use === null) {
    await sparse.hit.finish();
    return null;
  }
  if (use.fresh && use.held) return serveHeld(ctx, sparse);
  const [span] = use.spans;
  if (span === undefined) {
    // A stale entry and a range that selects nothing: the origin answers the 416.
    await sparse.hit.finish();
    return null;
  }
  return use.held
    ? revalidatePieces(ctx, inFlight, sparse)
    : fetchMissing(ctx, inFlight, sparse, span);
}

/**
 * The answer when the looked-ahead sparse entry is fresh and holds every byte asked: called
 * after a complete lookup that found nothing and took no lock, since serving stored bytes needs
 * none (as a complete fresh hit). `null`, the entry left to `early`: the flow takes the lock and
 * goes on as before.
 */
export async function answerHeldPieces(
  ctx: RequestContext,
  early: SparseLookAhead,
): Promise<Response | null> {
  if (ctx.request.method !== 'GET') return null;
  const sparse = await early.peek();
  if (sparse === null || sparse === undefined) return null;
  const use = assess(ctx, sparse);
  if (use === null || !use.fresh || !use.held) return null;
  void early.take();
  return serveHeld(ctx, sparse);
}

/**
 * What a sparse entry offers the request: `null` when nothing (another variant, a `Range` to
 * ignore, several ranges not all held, an `If-Range` it does not match).
 */
function assess({ deps, request }: RequestContext, sparse: SparseLookup) {
  const { vary, variance } = sparse.meta;
  // Pieces of another variant: a miss for this request (its 206 replaces them).
  if (vary.length > 0 && varianceHash(vary, request.headers) !== variance) return null;
  const now = deps.now();
  const spec = rangeSpec(request.headers.get('range'), sparse.representation.length);
  const wanted = spec.kind === 'single' ? [spec] : spec.kind === 'multi' ? spec.ranges : [];
  const spans = wanted.map(({ start, end }) => ({ start, end: end + 1 }));
  const held = spans.every((span) => coversSpan(sparse.spans, span));
  const usable =
    spec.kind !== 'none' &&
    (held || spec.kind === 'single') &&
    ifRangeAllows(request.headers.get('if-range'), sparse.meta, now);
  if (!usable) return null;
  // A reload (Fetch's `no-cache` mode) revalidates, as for complete entries.
  const fresh =
    request.cache !== 'no-cache' &&
    evaluateReuse(sparse.meta, request.headers, now).action === 'use';
  return { spans, held, fresh };
}

/** A fresh entry's held range, served from the pieces; `null` (reader released) when it cannot be. */
async function serveHeld(ctx: RequestContext, sparse: SparseLookup): Promise<Response | null> {
  const { deps, cache, request } = ctx;
  const status = { hit: true, detail: `partial-${sparse.hit.source}`, key: debugKey(ctx) };
  const now = deps.now();
  const answer = await rangeResponse(
    request,
    sparse.meta,
    sparse.hit,
    now,
    status,
    deps.multipartRanges,
  );
  if (answer === null) {
    await sparse.hit.finish();
    return null;
  }
  cache.disable(NoCacheReason.Deferred);
  return answer;
}

/**
 * The sparse entry of the request's key, read with the piece that holds the first byte the
 * request asks for (one transaction to the first byte).
 */
export async function lookUpPieces({ deps, cache, request }: RequestContext) {
  const range = request.headers.get('range');
  const readFrom = (length: number) => firstByte(rangeSpec(range, length));
  return (await deps.storage.lookupSparse?.(cache.cacheKey(), readFrom)) ?? null;
}

/**
 * The bytes a request asks of a representation of `length` bytes. No `Range` (a media element's
 * first request may have none): the whole body, completed from the pieces and the missing
 * bytes, and answered as the 200.
 */
function rangeSpec(range: string | null, length: number): RangeSpec {
  if (range !== null) return parseRange(range, length);
  return length > 0
    ? { kind: 'single', start: 0, end: length - 1 }
    : { kind: 'none', reason: 'empty' };
}

/** The first byte an answer to `spec` reads (of several ranges, the first's). */
function firstByte(spec: RangeSpec): number | undefined {
  return spec.kind === 'single'
    ? spec.start
    : spec.kind === 'multi'
      ? spec.ranges[0]?.start
      : undefined;
}

/**
 * Part of `span` is missing: fetch from the first missing byte to the last (gaps in between are
 * fetched again: one request per answer), minus what downloads in flight bring. The page reads
 * the answer from storage as the bytes land.
 */
async function fetchMissing(
  ctx: RequestContext,
  inFlight: PiecesInFlight,
  sparse: SparseLookup,
  span: ByteSpan,
): Promise<Response> {
  const { deps, cache, request, waitUntil } = ctx;
  const key = cache.cacheKey();
  const entry = variantHash(key);
  const pending = inFlight.pending(entry).reduce(addSpan, sparse.spans);
  const missing = missingSpans(pending, span);
  const first = missing[0];
  const last = missing.at(-1);
  if (first === undefined || last === undefined) {
    // Every missing byte is on its way: follow the downloads.
    // Every missing byte is on its way: follow the downloads (which carry `If-Range`, so a
    // stale entry's bytes in flight are checked by them).
    return answerFromStorage(ctx, inFlight, sparse, sparse.meta, {
      hit: true,
      collapsed: true,
      detail: `partial-${sparse.hit.source}`,
      key: debugKey(ctx),
    });
  }
  const fetched = { start: first.start, end: last.end };
  // Asked one window at a time (`windowed-body.ts`): a read the page drops stops at a window's end.
  const window = firstWindow(fetched);
  const headers = new Headers(request.headers);
  headers.set('range', `bytes=${window.start}-${window.end - 1}`);
  headers.set('if-range', ifRangeValue(sparse));
  cache.cacheMiss();
  const download = inFlight.start(entry, fetched);
  let handedOver = false;
  try {
    let upstream;
    try {
      upstream = await askOriginOnce(ctx, upstreamRequest(request, headers));
    } catch (error) {
      const ranged = request.headers.has('range');
      const prefix =
        error instanceof UpstreamError && ranged ? heldPrefix(sparse, span) : undefined;
      if (prefix === undefined) throw error;
      handedOver = true;
      download.end();
      return await servePrefix(ctx, sparse, prefix);
    }
    const { response } = upstream;
    if (response.status !== 206) {
      // A 200 is the whole representation (If-Range failed: it changed): it replaces the entry.
      return await admit(ctx, upstream, 'partial');
    }
    const verdict = pieceVerdict(deps, request, upstream);
    const same =
      verdict.cacheable &&
      verdict.representation.length === sparse.representation.length &&
      sameRepresentation(verdict.representation.validator, sparse.representation.validator) &&
      verdict.range.start === window.start &&
      verdict.range.end === window.end - 1;
    if (!same || !verdict.cacheable) {
      // Not the bytes asked for, or not storable: the page's own request, passed through.
      await response.body?.cancel();
      const own = await askOriginOnce(ctx, upstreamRequest(request));
      return await admitPiece(ctx, own, 'partial', inFlight);
    }
    const writer = await deps.storage.getPieceWriter!(key, {
      meta: verdict.meta,
      representation: verdict.representation,
      offset: fetched.start,
    });
    handedOver = true;
    const fanOut = storeWindows(ctx, verdict, upstream, { key, writer, download }, fetched);
    // Storage is the page's source here: the download goes on at its own pace, until the page's
    // reader is released (it read its range, or went away: then the window being downloaded is
    // stored to its end, and no further one is asked for).
    const released = new AbortController();
    waitUntil(drain(fanOut.stream, released.signal).then(() => fanOut.stored));
    const status = {
      fwd: 'partial' as const,
      fwdStatus: 206,
      stored: true,
      detail: 'partial',
      key: debugKey(ctx),
    };
    return await answerFromStorage(ctx, inFlight, sparse, verdict.meta, status, () =>
      released.abort(),
    );
  } finally {
    if (!handedOver) {
      download.end();
      await sparse.hit.finish();
    }
  }
}

/**
 * The page's range (or, without `Range`, the whole body as the 200) read from storage,
 * following the bytes in flight.
 */
async function answerFromStorage(
  ctx: RequestContext,
  inFlight: PiecesInFlight,
  sparse: SparseLookup,
  meta: SparseLookup['meta'],
  status: CacheStatus,
  onRelease?: () => void,
): Promise<Response> {
  const { deps, cache, request, waitUntil } = ctx;
  const key = cache.cacheKey();
  // Released only now: a request that waited on the lock finds the download registered.
  if (cache.enabled()) cache.disable(NoCacheReason.Deferred);
  // The reader may fetch the rest itself (`fetchRest`) long after this answer left: the event is
  // kept alive until the reader is released, so that download and its eviction can be too.
  let released!: () => void;
  waitUntil(new Promise<void>((resolve) => (released = resolve)));
  const reopen = async (start: number, end: number): Promise<HitHandler | null> => {
    const complete = await deps.storage.lookup(key);
    if (complete !== null) {
      if (complete.hit.canSeek && complete.hit.size === sparse.representation.length) {
        complete.hit.seek(start, end);
        return complete.hit;
      }
      await complete.hit.finish();
    }
    const again = await deps.storage.lookupSparse?.(key, () => start);
    const same =
      again != null &&
      again.representation.length === sparse.representation.length &&
      sameRepresentation(again.representation.validator, sparse.representation.validator) &&
      coversSpan(again.spans, { start, end });
    if (same) {
      again.hit.seek(start, end);
      return again.hit;
    }
    await again?.hit.finish();
    // The download this reader followed stopped short: it fetches the rest itself.
    return fetchRest(ctx, key, sparse, inFlight, { start, end });
  };
  const hit = new FollowingSparseHit(
    sparse.hit,
    sparse.representation.length,
    inFlight,
    variantHash(key),
    reopen,
    () => {
      released();
      onRelease?.();
    },
  );
  const now = deps.now();
  return (
    (await rangeResponse(request, meta, hit, now, status, deps.multipartRanges)) ??
    storedResponse(meta, hit, request.method, now, status)
  );
}

/**
 * Reads a stream to its end, dropping the bytes (the page reads them from storage instead), or
 * cancels it when `stop` aborts.
 */
async function drain(stream: ReadableStream<Uint8Array>, stop: AbortSignal): Promise<void> {
  const reader = stream.getReader();
  const cancel = () => void reader.cancel('the reader was released').catch(() => undefined);
  stop.addEventListener('abort', cancel, { once: true });
  try {
    while (!(await reader.read()).done);
  } catch {
    // The sink has seen the failure; the page's answer follows storage.
  } finally {
    stop.removeEventListener('abort', cancel);
  }
}
