/**
 * Reading the pieces of a sparse entry (`docs/partial-content.md`): the piece that holds a byte,
 * and a hit handler over the held bytes of one representation.
 */
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { HitHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { checkedRange } from '../seek-range.ts';
import type { IdbConnection } from './idb-connection.ts';
import type { CacheDb, CacheDbSchema, PieceRecord, SparseRecord } from './idb-schema.ts';

/** Bytes of pieces one read transaction of {@link IdbSparseHitHandler} reads (a chunk's worth). */
export const READ_AHEAD_BYTES = 256 * 1024;

/** The `pieces` store in any transaction that includes it. */
export type PiecesStore = IDBPObjectStore<
  CacheDbSchema,
  ArrayLike<StoreNames<CacheDbSchema>>,
  'pieces',
  IDBTransactionMode
>;

/**
 * The piece of `bodyId` that holds byte `at`, or `undefined` when no piece does. Pieces are at
 * most `pieceSize` bytes, so only offsets `at - pieceSize + 1 … at` can hold it: one cursor step.
 */
export async function pieceAt(
  store: PiecesStore,
  bodyId: string,
  pieceSize: number,
  at: number,
): Promise<PieceRecord | undefined> {
  const range = IDBKeyRange.bound([bodyId, Math.max(0, at - pieceSize + 1)], [bodyId, at]);
  const cursor = await store.openCursor(range, 'prev');
  const piece = cursor?.value;
  return holds(piece, at) ? piece : undefined;
}

/**
 * The held bytes of a sparse entry: `size` is the representation's length, `seek` selects a
 * range, and each read returns the rest of one piece. The pieces are read {@link READ_AHEAD_BYTES}
 * at a time, in one transaction (they are small: one transaction each would be slow to stream).
 * A byte that is not held (never stored, or
 * the entry replaced by another representation since the lookup) fails the read with a
 * `StorageError`: the answer breaks off rather than mixing representations or leaving a gap.
 */
export class IdbSparseHitHandler implements HitHandler {
  readonly source: string;
  readonly canSeek = true;
  readonly size: number;
  readonly #connection: IdbConnection;
  readonly #bodyId: string;
  readonly #pieceSize: number;
  /**
   * The pieces read last (at first the one the lookup read with the record, see
   * `IdbSparseEntries.lookup`); pieces of a body id never change. Dropped by `finish`.
   */
  #pieces: readonly PieceRecord[];
  #position = 0;
  #end: number;
  #released = false;

  constructor(
    connection: IdbConnection,
    record: SparseRecord,
    source: string,
    prefetched?: PieceRecord,
  ) {
    this.#connection = connection;
    this.#pieces = prefetched === undefined ? [] : [prefetched];
    this.#bodyId = record.bodyId;
    this.#pieceSize = record.pieceSize;
    this.size = record.representation.length;
    this.#end = this.size;
    this.source = source;
  }

  seek(start: number, end?: number): void {
    [this.#position, this.#end] = checkedRange(this.size, start, end);
  }

  async readBody(): Promise<Uint8Array | null> {
    if (this.#released || this.#position >= this.#end) return null;
    const at = this.#position;
    let piece = this.#pieces.find((p) => holds(p, at));
    if (piece === undefined) {
      this.#pieces = await this.#readAhead(at);
      piece = this.#pieces.find((p) => holds(p, at));
    }
    if (piece === undefined) throw new StorageError(`byte ${at} of the sparse entry is not held`);
    const from = at - piece.offset;
    const to = Math.min(piece.data.byteLength, this.#end - piece.offset);
    this.#position = piece.offset + to;
    return piece.data.subarray(from, to);
  }

  finish(): Promise<void> {
    this.#released = true;
    this.#pieces = [];
    return Promise.resolve();
  }

  /** The pieces from the one holding byte `at` (if any) to {@link READ_AHEAD_BYTES} after it. */
  #readAhead(at: number): Promise<PieceRecord[]> {
    const last = Math.min(this.#end, at + READ_AHEAD_BYTES) - 1;
    const range = IDBKeyRange.bound(
      [this.#bodyId, Math.max(0, at - this.#pieceSize + 1)],
      [this.#bodyId, Math.max(at, last)],
    );
    return this.#connection.run('reading pieces', (db: CacheDb) =>
      db.transaction('pieces').store.getAll(range),
    );
  }
}

/** Whether `piece` holds byte `at`. */
function holds(piece: PieceRecord | undefined, at: number): piece is PieceRecord {
  return piece !== undefined && piece.offset <= at && at < piece.offset + piece.data.byteLength;
}
