/**
 * The bytes a reader of a sparse entry waited for and will not get from storage (the download
 * that was bringing them stopped: its page went away, or its origin failed): fetched by the
 * reader itself, with `If-Range`, stored as a piece while they are read.
 */
import { variantHash, type CacheKey } from '../core/key.ts';
import type { HitHandler, SparseLookup } from '../core/storage.ts';
import { exactPiece, ifRangeValue, pieceVerdict, type PieceContext } from './piece-admission.ts';
import type { PiecesInFlight } from './pieces-in-flight.ts';
import { askOrigin, upstreamRequest } from './upstream.ts';
import { firstWindow } from './windowed-body.ts';
import { storeWindows } from './windowed-piece.ts';

/**
 * Bytes `[start, end)` of `sparse`'s representation from the origin, as a reader; `null` when the
 * origin does not send exactly them of the same representation (the reader then fails: never
 * bytes of another version).
 */
export async function fetchRest(
  ctx: PieceContext,
  key: CacheKey,
  sparse: SparseLookup,
  inFlight: PiecesInFlight,
  { start, end }: { start: number; end: number },
): Promise<HitHandler | null> {
  const { deps, request, waitUntil } = ctx;
  // Asked one window at a time (`windowed-body.ts`): a read the page drops stops at a window's end.
  const span = { start, end };
  const window = firstWindow(span);
  const headers = new Headers(request.headers);
  headers.set('range', `bytes=${window.start}-${window.end - 1}`);
  headers.set('if-range', ifRangeValue(sparse));
  const upstream = await askOrigin(deps, upstreamRequest(request, headers));
  const verdict = pieceVerdict(deps, request, upstream);
  if (!exactPiece(verdict, window, sparse.representation)) {
    await upstream.response.body?.cancel();
    return null;
  }
  const writer = await deps.storage.getPieceWriter!(key, {
    meta: verdict.meta,
    representation: verdict.representation,
    offset: start,
  });
  const download = inFlight.start(variantHash(key), span);
  const fanOut = storeWindows(ctx, verdict, upstream, { key, writer, download }, span);
  // Kept alive past the reader: a read the page drops still stores its windows to their end.
  waitUntil(fanOut.stored);
  return new StreamHit(fanOut.stream, sparse.hit.source);
}

/** A reader of a body as it arrives (it cannot seek: it is read once, in order). */
class StreamHit implements HitHandler {
  readonly canSeek = false;
  readonly size = undefined;
  readonly source: string;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>, source: string) {
    this.#reader = stream.getReader();
    this.source = source;
  }

  seek(): void {
    throw new RangeError('a body being fetched is read in order');
  }

  async readBody(): Promise<Uint8Array | null> {
    const { done, value } = await this.#reader.read();
    return done ? null : value;
  }

  async finish(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}
