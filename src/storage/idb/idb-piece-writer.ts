/**
 * Storing a 206's body as pieces of a sparse entry (`docs/partial-content.md`). Bytes are
 * gathered into commits of `commitSize` bytes, each stored in its own transaction as pieces of
 * at most the record's `pieceSize`, so a body that breaks off keeps every commit stored before
 * (and `abort` stores the bytes received since: they are the body's next bytes, only the rest is
 * missing).
 *
 * A commit stores only the bytes the entry does not hold yet, after checking that the bytes it
 * does hold are the same: two contents under one strong validator drop the entry.
 */
import {
  addSpan,
  heldSpans,
  isComplete,
  missingSpans,
  type ByteSpan,
} from '../../core/byte-spans.ts';
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { MissHandler, PieceWriter, SparseOutcome } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { toStorageError } from '../errors.ts';
import type { IdbConnection } from './idb-connection.ts';
import { inTransaction } from './idb-connection.ts';
import type { SparseRecord } from './idb-schema.ts';
import { IdbSparseHitHandler, pieceAt, type PiecesStore } from './idb-sparse-hit.ts';
import {
  deleteSparseRecord,
  type SparseStore,
  type WritablePiecesStore,
} from './idb-sparse-delete.ts';
import { validSparseRecord } from './sparse-record-check.ts';

export interface PieceWriterContext {
  readonly connection: IdbConnection;
  readonly now: () => number;
  /** Starts an ordinary write of a complete entry: how a sparse entry that is whole becomes one. */
  readonly completeWrite: (key: CacheKey, meta: CacheMeta) => Promise<MissHandler>;
  readonly label: string;
  /**
   * Bytes stored per transaction (the storage's chunk size): pieces are smaller (they are read
   * whole, and a small value is read faster), transactions are not (each costs a round trip).
   */
  readonly commitSize: number;
}

/** What one commit found: the entry as it is now, or why it stopped. */
type Commit = SparseOutcome | 'gone';

export class IdbPieceWriter implements PieceWriter {
  readonly #context: PieceWriterContext;
  readonly #key: CacheKey;
  readonly #record: SparseRecord;
  /** The next byte to commit. */
  #offset: number;
  #buffer: Uint8Array[] = [];
  #buffered = 0;
  #outcome: SparseOutcome = 'partial';
  #state: 'writing' | 'done' = 'writing';
  /**
   * Calls run one after the other: a body fan-out may write again (or abort) while a commit is
   * still running, and two commits at one offset would look like differing bytes.
   */
  #queue: Promise<unknown> = Promise.resolve();

  /** `record` is the entry as the writer registered it (its `bodyId` names the pieces). */
  constructor(context: PieceWriterContext, key: CacheKey, record: SparseRecord, offset: number) {
    this.#context = context;
    this.#key = key;
    this.#record = record;
    this.#offset = offset;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#serial(() => this.#write(chunk));
  }

  finish(): Promise<SparseOutcome> {
    return this.#serial(() => this.#finish());
  }

  abort(): Promise<void> {
    return this.#serial(() => this.#abort());
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(chunk: Uint8Array): Promise<void> {
    if (this.#state !== 'writing') throw new StorageError('write after the piece writer ended');
    if (this.#offset + this.#buffered + chunk.byteLength > this.#record.representation.length) {
      // The body is longer than its Content-Range: which bytes are which is unknown.
      this.#state = 'done';
      await this.#drop();
      throw new StorageError('the body is longer than its Content-Range; the entry is dropped');
    }
    this.#buffer.push(chunk);
    this.#buffered += chunk.byteLength;
    const size = Math.max(this.#context.commitSize, this.#record.pieceSize);
    while (this.#buffered >= size) await this.#commit(this.#take(size));
  }

  async #finish(): Promise<SparseOutcome> {
    if (this.#state !== 'writing') throw new StorageError('finish after the piece writer ended');
    if (this.#buffered > 0) await this.#commit(this.#take(this.#buffered));
    this.#state = 'done';
    if (this.#outcome === 'complete') await this.#complete();
    return this.#outcome;
  }

  async #abort(): Promise<void> {
    if (this.#state !== 'writing') return;
    try {
      if (this.#buffered > 0) await this.#commit(this.#take(this.#buffered));
      this.#state = 'done';
      if (this.#outcome === 'complete') await this.#complete();
    } catch {
      // What could not be stored is simply not held.
    }
    this.#state = 'done';
  }

  /** The first `length` buffered bytes as one array. */
  #take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const head = this.#buffer[0]!;
      const part = head.subarray(0, length - filled);
      out.set(part, filled);
      filled += part.byteLength;
      if (part.byteLength === head.byteLength) this.#buffer.shift();
      else this.#buffer[0] = head.subarray(part.byteLength);
    }
    this.#buffered -= length;
    return out;
  }

  async #commit(bytes: Uint8Array): Promise<void> {
    const span = { start: this.#offset, end: this.#offset + bytes.byteLength };
    let found: Commit;
    try {
      found = await this.#context.connection.run('storing a piece', (db) => {
        const tx = db.transaction(['sparse', 'pieces'], 'readwrite');
        return inTransaction(tx, () =>
          this.#store(tx.objectStore('sparse'), tx.objectStore('pieces'), span, bytes),
        );
      });
    } catch (error) {
      this.#state = 'done';
      throw toStorageError(error, 'storing a piece');
    }
    this.#offset = span.end;
    if (found === 'gone' || found === 'dropped') {
      this.#state = 'done';
      this.#outcome = 'dropped';
      throw new StorageError(
        found === 'gone'
          ? 'the sparse entry was replaced or purged while its pieces were written'
          : 'a piece differs from the bytes stored for the same representation; the entry is dropped',
      );
    }
    this.#outcome = found;
  }

  /** One commit, inside its transaction. */
  async #store(
    sparse: SparseStore,
    pieces: WritablePiecesStore,
    span: ByteSpan,
    bytes: Uint8Array,
  ): Promise<Commit> {
    const { hash, bodyId } = this.#record;
    const record = validSparseRecord(await sparse.get(hash), hash);
    if (record?.bodyId !== bodyId) return 'gone';
    for (const held of heldSpans(record.spans, span)) {
      const incoming = bytes.subarray(held.start - span.start, held.end - span.start);
      if (!(await holdsBytes(pieces, record, held.start, incoming))) {
        await deleteSparseRecord(sparse, pieces, record);
        return 'dropped';
      }
    }
    let spans = record.spans;
    for (const missing of missingSpans(record.spans, span)) {
      for (let start = missing.start; start < missing.end; start += record.pieceSize) {
        const end = Math.min(missing.end, start + record.pieceSize);
        const data = bytes.slice(start - span.start, end - span.start);
        await pieces.put({ bodyId, offset: start, data });
      }
      spans = addSpan(spans, missing);
    }
    await sparse.put({ ...record, spans, lastAccess: this.#context.now() });
    return isComplete(spans, record.representation.length) ? 'complete' : 'partial';
  }

  /**
   * Every byte is held: the entry is written again as an ordinary complete entry (the miss write
   * of the storage, so it is stored, chunked and served like any other), then the sparse entry
   * is deleted, if it is still the one completed. A failure leaves the sparse entry as it was.
   */
  async #complete(): Promise<void> {
    const { connection, completeWrite, label } = this.#context;
    const record = await readRecord(connection, this.#record.hash);
    if (record?.bodyId !== this.#record.bodyId) return;
    const miss = await completeWrite(this.#key, record.meta);
    const hit = new IdbSparseHitHandler(connection, record, label);
    try {
      for (let chunk = await hit.readBody(); chunk !== null; chunk = await hit.readBody()) {
        await miss.write(chunk);
      }
      await miss.finish();
    } catch (error) {
      await miss.abort(error).catch(() => undefined);
      throw toStorageError(error, 'completing a sparse entry');
    }
    await connection.run('deleting a completed sparse entry', async (db) => {
      const tx = db.transaction(['sparse', 'pieces'], 'readwrite');
      await inTransaction(tx, async () => {
        const current = validSparseRecord(await tx.objectStore('sparse').get(record.hash));
        if (current?.bodyId === record.bodyId) {
          await deleteSparseRecord(tx.objectStore('sparse'), tx.objectStore('pieces'), current);
        }
      });
    });
  }

  /** Drops the whole entry, if it is still this writer's. */
  async #drop(): Promise<void> {
    this.#outcome = 'dropped';
    const { hash, bodyId } = this.#record;
    await this.#context.connection.run('dropping a sparse entry', async (db) => {
      const tx = db.transaction(['sparse', 'pieces'], 'readwrite');
      await inTransaction(tx, async () => {
        const record = validSparseRecord(await tx.objectStore('sparse').get(hash), hash);
        if (record?.bodyId === bodyId) {
          await deleteSparseRecord(tx.objectStore('sparse'), tx.objectStore('pieces'), record);
        }
      });
    });
  }
}

/** Whether the pieces hold exactly `bytes` from byte `start` on. */
async function holdsBytes(
  pieces: PiecesStore,
  record: SparseRecord,
  start: number,
  bytes: Uint8Array,
): Promise<boolean> {
  let at = start;
  const end = start + bytes.byteLength;
  while (at < end) {
    const piece = await pieceAt(pieces, record.bodyId, record.pieceSize, at);
    if (piece === undefined) return false;
    const stop = Math.min(end, piece.offset + piece.data.byteLength);
    const stored = piece.data.subarray(at - piece.offset, stop - piece.offset);
    const incoming = bytes.subarray(at - start, stop - start);
    if (!stored.every((byte, i) => byte === incoming[i])) return false;
    at = stop;
  }
  return true;
}

async function readRecord(
  connection: IdbConnection,
  hash: string,
): Promise<SparseRecord | undefined> {
  const value = await connection.run('reading a sparse entry', (db) => db.get('sparse', hash));
  return validSparseRecord(value, hash);
}
