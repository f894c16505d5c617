/**
 * Storing a 206 from the origin as a piece of a sparse entry (RFC 9111 §3.3–3.4,
 * `docs/partial-content.md`) while it streams to the page, and what storing pieces tells the
 * eviction manager.
 */
import { heldBytes, type ByteSpan } from '../core/byte-spans.ts';
import {
  formatHttpDate,
  partialCacheability,
  sameRepresentation,
  type PartialCacheability,
  type Representation,
} from '../core/http/index.ts';
import { variantHash, type CacheKey } from '../core/key.ts';
import { NoCacheReason } from '../core/phase.ts';
import type { PieceWriter, SparseOutcome, Storage } from '../core/storage.ts';
import { emptyBody, fanOutToStore, type BodySink, type DrainAfterCancel } from './body-stream.ts';
import type { CacheStatus, ForwardReason } from './cache-status-format.ts';
import { debugKey, type FlowDeps, type RequestContext } from './flow-deps.ts';
import type { PieceDownload, PiecesInFlight } from './pieces-in-flight.ts';
import { forwardedResponse } from './respond.ts';
import { requestSnapshot, type Upstream } from './upstream.ts';

/**
 * How long a piece the page asked for as it is (a range no longer than a window, or the page's
 * own request after a window that could not be stored) keeps being stored after the page dropped
 * its read: about the bytes already on their way. Not the whole rest, which for a film would be
 * most of it. Long ranges are asked in windows instead (`windowed-body.ts`).
 */
export const DRAIN_AFTER_CANCEL_MS = 250;

/** `partialCacheability` of an origin's answer to `request`. */
export function pieceVerdict(deps: FlowDeps, request: Request, upstream: Upstream) {
  return partialCacheability(requestSnapshot(request), upstream.response, upstream, {
    cacheAuthorized: deps.options.cacheAuthorized,
  });
}

/**
 * Whether the origin's answer is exactly bytes `[start, end)` of `representation`: a 206 that
 * may be stored, of that range, length and strong validator.
 */
export function exactPiece(
  verdict: PartialCacheability,
  { start, end }: ByteSpan,
  representation: Representation,
): verdict is PartialCacheability & { cacheable: true } {
  return (
    verdict.cacheable &&
    verdict.range.start === start &&
    verdict.range.end === end - 1 &&
    verdict.representation.length === representation.length &&
    sameRepresentation(verdict.representation.validator, representation.validator)
  );
}

/** The `If-Range` that names an entry's representation: its strong tag, or its date. */
export function ifRangeValue({
  representation,
}: {
  readonly representation: Representation;
}): string {
  const { validator } = representation;
  return validator.etag ?? formatHttpDate(validator.lastModified);
}

/**
 * Answers the page with the origin's 206 and stores its body as a piece when it may be stored
 * (and, after the page stops reading, as long as `drain` says: longer for a body of one window).
 * The request's `HttpCache` is released once the piece is registered: its lock is for complete
 * entries, and requests waiting on it look up again and find the piece in flight
 * (`pieces-in-flight.ts`).
 */
export async function admitPiece(
  ctx: RequestContext,
  upstream: Upstream,
  fwd: ForwardReason,
  inFlight: PiecesInFlight,
  verdict: PartialCacheability = pieceVerdict(ctx.deps, ctx.request, upstream),
  drain: DrainAfterCancel = { drainAfterCancelMs: DRAIN_AFTER_CANCEL_MS },
): Promise<Response> {
  const { deps, cache, waitUntil } = ctx;
  const { response } = upstream;
  const key = cache.cacheKey();
  const status: CacheStatus = { fwd, fwdStatus: response.status, key: debugKey(ctx) };
  const release = () => {
    if (cache.enabled()) cache.disable(NoCacheReason.Deferred);
  };
  if (!verdict.cacheable) {
    release();
    return forwardedResponse(response, { ...status, detail: verdict.detail });
  }
  const { meta, representation, range } = verdict;
  let writer: PieceWriter;
  try {
    writer = await deps.storage.getPieceWriter!(key, { meta, representation, offset: range.start });
  } catch (error) {
    release();
    deps.log('could not start storing a piece; serving from the network', error);
    return forwardedResponse(response, { ...status, detail: NoCacheReason.StorageError });
  }
  // Registered before the lock is released: a request that waited on it finds the download.
  const download = inFlight.start(variantHash(key), { start: range.start, end: range.end + 1 });
  release();
  const sink = pieceSink(ctx, key, writer, download, range.start, meta.freshUntil);
  const fanOut = fanOutToStore(response.body ?? emptyBody(), sink, drain);
  waitUntil(fanOut.stored);
  return forwardedResponse(response, { ...status, stored: true, detail: 'partial' }, fanOut.stream);
}

/** What storing a piece works with: the flow's deps, the request, what keeps its eviction alive. */
export type PieceContext = Pick<RequestContext, 'deps' | 'request' | 'waitUntil'>;

/**
 * A body sink into a piece writer: reports progress to readers waiting for these bytes, and
 * when the body ends, tells eviction how many bytes the entry holds now. A body cut by the
 * origin keeps what landed (`PieceWriter.abort`). The body (and the download readers follow)
 * ends once the piece is stored; the eviction (a lookup, then purges) runs after, kept alive by
 * `waitUntil`, as a complete entry's does (`admission.ts`).
 */
export function pieceSink(
  { deps, waitUntil }: PieceContext,
  key: CacheKey,
  writer: PieceWriter,
  download: PieceDownload,
  offset: number,
  freshUntil: number,
): BodySink {
  let position = offset;
  return {
    write: async (chunk) => {
      await writer.write(chunk);
      position += chunk.byteLength;
      download.progress(position);
    },
    finish: async () => {
      let outcome: SparseOutcome;
      try {
        outcome = await writer.finish();
      } finally {
        download.end();
      }
      waitUntil(admitToEviction(deps, key, outcome, freshUntil));
    },
    abort: async (reason, cause) => {
      try {
        await writer.abort();
        deps.log(
          cause === 'upstream'
            ? 'a partial body ended early (the origin cut it or the page stopped reading); the pieces that landed are kept'
            : 'storing a piece failed; the page still gets the body',
          reason,
        );
      } finally {
        download.end();
      }
      waitUntil(admitToEviction(deps, key, 'partial', freshUntil));
    },
  };
}

/**
 * Tells eviction the bytes `key` holds now, and purges what it gives back. Never rejects: a
 * failed lookup leaves the entry to the next rebuild (logged), and a failed purge does not fail
 * the store, as for complete entries (`HttpCache.finishMissHandler`).
 */
async function admitToEviction(
  deps: FlowDeps,
  key: CacheKey,
  outcome: SparseOutcome,
  freshUntil: number,
): Promise<void> {
  const { eviction, storage } = deps;
  if (eviction === undefined) return;
  if (outcome === 'dropped') {
    eviction.remove(key);
    return;
  }
  let size: number | undefined;
  try {
    size = await storedSize(storage, key, outcome);
  } catch (error) {
    deps.log('could not weigh a stored piece for eviction; the next rebuild counts it', error);
    return;
  }
  if (size === undefined) return;
  for (const victim of eviction.admit(key, size, freshUntil)) {
    await storage.purge(victim, 'eviction').catch(() => undefined);
  }
}

/** The bytes `key` holds after a piece: its complete body, or its sparse entry's held bytes. */
async function storedSize(
  storage: Storage,
  key: CacheKey,
  outcome: 'complete' | 'partial',
): Promise<number | undefined> {
  if (outcome === 'complete') {
    const found = await storage.lookup(key);
    if (found === null) return undefined;
    const size = found.hit.size ?? 0;
    await found.hit.finish();
    return size;
  }
  const found = await storage.lookupSparse?.(key);
  if (found == null) return undefined;
  const size = heldBytes(found.spans);
  await found.hit.finish();
  return size;
}
