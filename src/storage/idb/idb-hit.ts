/**
 * The hit handler of {@link IdbStorage}: reads at most one chunk per call, so a range read
 * (`seek`) fetches only the chunks that hold the range (of a Blob chunk, only the bytes asked for,
 * {@link READ_PIECE_BYTES} at a time). A body stored as Blobs is also handed over whole
 * (`blob()`) without its bytes entering the worker. The chunks the lookup already read (see
 * `idb-entry-read.ts`) are used as they are: a hit is then one transaction.
 */
import type { HitHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import type { ChunkData } from './chunk-data.ts';
import { chunkBytes, chunkLength, isChunkData } from './chunk-data.ts';
import type { IdbConnection } from './idb-connection.ts';
import { chunkRange } from './idb-schema.ts';
import { readCompacted } from './compaction.ts';
import { checkedRange } from '../seek-range.ts';

/** Most bytes one `readBody` reads of a Blob chunk (a body kept as one Blob is read in pieces). */
export const READ_PIECE_BYTES = 256 * 1024;

export interface StoredBody {
  /** The entry's variant hash. */
  readonly hash: string;
  readonly bodyId: string;
  readonly size: number;
  readonly chunkSize: number;
  /** The body id of the write that stored it, when it was compacted since (see the schema). */
  readonly writtenAs?: string | undefined;
}

export class IdbHitHandler implements HitHandler {
  readonly source: string;
  readonly canSeek = true;
  readonly #connection: IdbConnection;
  /** The body read; the compacted one once its chunks are found gone (see `#orCompacted`). */
  #body: StoredBody;
  /** Chunks `0 … n - 1` as the lookup read them (unchecked); dropped by `finish`. */
  #prefetched: readonly unknown[];
  #position = 0;
  #end: number;
  #released = false;
  /** Called once, on `finish` (the lookup asks for compaction then). */
  #onRelease: (() => void) | undefined;

  constructor(
    connection: IdbConnection,
    body: StoredBody,
    source: string,
    prefetched: readonly unknown[] = [],
    onRelease?: () => void,
  ) {
    this.#connection = connection;
    this.#body = body;
    this.source = source;
    this.#prefetched = prefetched;
    this.#end = body.size;
    this.#onRelease = onRelease;
  }

  get size(): number {
    return this.#body.size;
  }

  seek(start: number, end?: number): void {
    [this.#position, this.#end] = checkedRange(this.#body.size, start, end);
  }

  readBody(): Promise<Uint8Array | null> {
    return this.#orCompacted(() => this.#readBody());
  }

  /**
   * Bytes `[position, end)` as one Blob built from the chunk Blobs that hold them (`new Blob`
   * and `slice` copy no bytes); `null` for a body stored inline (a small body, or a database
   * written before Blobs): the caller reads it with `readBody` instead.
   */
  blob(): Promise<Blob | null> {
    return this.#orCompacted(() => this.#blob());
  }

  async #readBody(): Promise<Uint8Array | null> {
    if (this.#released || this.#position >= this.#end) return null;
    const seq = Math.floor(this.#position / this.#body.chunkSize);
    const data = this.#checked(seq, await this.#chunk(seq));
    const chunkStart = seq * this.#body.chunkSize;
    const from = this.#position - chunkStart;
    const to = Math.min(this.#end - chunkStart, chunkLength(data));
    // Of a Blob, only the piece asked for is read (a body kept as one Blob is not read whole).
    const part =
      data instanceof Blob
        ? await chunkBytes(data.slice(from, Math.min(to, from + READ_PIECE_BYTES)))
        : data.subarray(from, to);
    this.#position += part.byteLength;
    return part;
  }

  async #blob(): Promise<Blob | null> {
    if (this.#released) return null;
    const start = this.#position;
    const end = this.#end;
    if (start >= end) return new Blob([]);
    const { chunkSize } = this.#body;
    const first = Math.floor(start / chunkSize);
    const last = Math.floor((end - 1) / chunkSize);
    const parts = await this.#blobChunks(first, last);
    if (parts === null) return null;
    const offset = first * chunkSize;
    const only = parts.length === 1 ? parts[0] : undefined;
    // The whole of one stored Blob (a compacted body) is handed over as it is: building a Blob
    // and slicing it took 1–2 ms of a just-started worker's hit (bench/cpu-profile.mjs).
    if (only && start === offset && end - offset === only.size && only.type === '') return only;
    return new Blob(parts).slice(start - offset, end - offset);
  }

  finish(): Promise<void> {
    this.#released = true;
    // Browsers keep an IndexedDB Blob's file while a handle to it lives.
    this.#prefetched = [];
    this.#onRelease?.();
    this.#onRelease = undefined;
    return Promise.resolve();
  }

  /**
   * Chunks `first … last`, checked, when they are Blobs; `null` when the body is inline. The
   * first chunk tells the body's form (one body has one form), then the others are read as
   * handles in one request of the same transaction: an inline body is never read whole here.
   */
  async #blobChunks(first: number, last: number): Promise<Blob[] | null> {
    const { bodyId } = this.#body;
    const prefetched = this.#prefetched;
    const read =
      last < prefetched.length
        ? { head: prefetched[first], rest: prefetched.slice(first + 1, last + 1) }
        : await this.#connection.run('reading body chunks', async (db) => {
            const store = db.transaction('body').store;
            const head = prefetched[first] ?? (await store.get([bodyId, first]))?.data;
            const blobs = this.#checked(first, head) instanceof Blob && first < last;
            const records = blobs ? await store.getAll(chunkRange(bodyId, first + 1, last)) : [];
            // A record out of place (a gap in the chunks) reads as missing.
            const rest = records.map((r, i) => (r.seq === first + 1 + i ? r.data : undefined));
            return { head, rest };
          });
    const head = this.#checked(first, read.head);
    if (!(head instanceof Blob)) return null;
    const parts = [head];
    for (let seq = first + 1; seq <= last; seq++) {
      const data = this.#checked(seq, read.rest[seq - first - 1]);
      if (!(data instanceof Blob)) {
        throw new StorageError(`chunk ${seq} of body ${bodyId} is not stored as a Blob`);
      }
      parts.push(data);
    }
    return parts;
  }

  /**
   * `read()`; when it finds a chunk gone because the body was compacted since (after another
   * hit, in this context or another), again from the compacted Blob.
   */
  async #orCompacted<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ChunkGoneError)) throw error;
      const { hash, bodyId, writtenAs } = this.#body;
      const compacted = await readCompacted(this.#connection, hash, writtenAs ?? bodyId);
      if (compacted === undefined || compacted.size !== this.#body.size) throw error;
      const { whole, ...body } = compacted;
      this.#body = { ...body, hash, chunkSize: body.size, writtenAs: writtenAs ?? bodyId };
      this.#prefetched = [whole];
      return read();
    }
  }

  /** Chunk `seq` as stored (the prefetched one, or read now); `undefined` when it is gone. */
  async #chunk(seq: number): Promise<unknown> {
    if (seq < this.#prefetched.length) return this.#prefetched[seq];
    const { bodyId } = this.#body;
    const record = await this.#connection.run('reading a body chunk', (db) =>
      db.get('body', [bodyId, seq]),
    );
    return record?.data;
  }

  /** `data` when it is chunk `seq` of this body: present, bytes or a Blob, of the right length. */
  #checked(seq: number, data: unknown): ChunkData {
    const { bodyId, chunkSize, size } = this.#body;
    if (data === undefined) {
      // The entry was replaced, purged or compacted while this reader was on it.
      throw new ChunkGoneError(`chunk ${seq} of body ${bodyId} is gone (entry replaced or purged)`);
    }
    // A chunk of the wrong length would make a body that looks whole but is not.
    if (!isChunkData(data) || chunkLength(data) !== Math.min(chunkSize, size - seq * chunkSize)) {
      throw new StorageError(`chunk ${seq} of body ${bodyId} has the wrong length`);
    }
    return data;
  }
}

/** A chunk of the body read is no longer stored. */
class ChunkGoneError extends StorageError {}
