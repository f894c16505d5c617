/**
 * The hit handler of {@link IdbStorage}: reads one fixed-size chunk per call, so a range read
 * (`seek`) fetches only the chunks that hold the range. A body stored as Blobs is also handed
 * over whole (`blob()`): one read of the chunk handles, no bytes read into the worker.
 */
import type { HitHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import type { ChunkData } from './chunk-data.ts';
import { chunkBytes, chunkLength, isChunkData } from './chunk-data.ts';
import type { IdbConnection } from './idb-connection.ts';
import { chunkRange } from './idb-schema.ts';
import { checkedRange } from '../seek-range.ts';

export interface StoredBody {
  readonly bodyId: string;
  readonly size: number;
  readonly chunkSize: number;
}

export class IdbHitHandler implements HitHandler {
  readonly source: string;
  readonly canSeek = true;
  readonly #connection: IdbConnection;
  readonly #body: StoredBody;
  /** Chunk 0 when the lookup already read it (single-chunk bodies: one transaction per hit). */
  readonly #prefetched: ChunkData | undefined;
  #position = 0;
  #end: number;
  #released = false;

  constructor(connection: IdbConnection, body: StoredBody, source: string, firstChunk?: ChunkData) {
    this.#connection = connection;
    this.#body = body;
    this.source = source;
    this.#prefetched = firstChunk;
    this.#end = body.size;
  }

  get size(): number {
    return this.#body.size;
  }

  /** The stored body being read (the streaming write tag of the write that produced it). */
  get bodyId(): string {
    return this.#body.bodyId;
  }

  seek(start: number, end?: number): void {
    [this.#position, this.#end] = checkedRange(this.#body.size, start, end);
  }

  async readBody(): Promise<Uint8Array | null> {
    if (this.#released || this.#position >= this.#end) return null;
    const seq = Math.floor(this.#position / this.#body.chunkSize);
    const data = await chunkBytes(this.#checked(seq, await this.#chunk(seq)));
    const chunkStart = seq * this.#body.chunkSize;
    const part = data.subarray(
      this.#position - chunkStart,
      Math.min(this.#end - chunkStart, data.byteLength),
    );
    this.#position += part.byteLength;
    return part;
  }

  /**
   * Bytes `[position, end)` as one Blob built from the chunk Blobs that hold them (`new Blob`
   * and `slice` copy no bytes); `null` for a body stored inline (a small body, or a database
   * written before Blobs): the caller reads it with `readBody` instead.
   */
  async blob(): Promise<Blob | null> {
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
    return new Blob(parts).slice(start - offset, end - offset);
  }

  finish(): Promise<void> {
    this.#released = true;
    return Promise.resolve();
  }

  /**
   * Chunks `first … last`, checked, when they are Blobs; `null` when the body is inline. The
   * first chunk tells the body's form (one body has one form), then the others are read as
   * handles in one request of the same transaction: an inline body is never read whole here.
   */
  async #blobChunks(first: number, last: number): Promise<Blob[] | null> {
    const { bodyId } = this.#body;
    const prefetched = first === 0 ? this.#prefetched : undefined;
    const read =
      prefetched !== undefined && last === 0
        ? { head: prefetched, rest: [] }
        : await this.#connection.run('reading body chunks', async (db) => {
            const store = db.transaction('body').store;
            const head = prefetched ?? (await store.get([bodyId, first]))?.data;
            const blobs = this.#checked(first, head) instanceof Blob && first < last;
            return {
              head,
              rest: blobs ? await store.getAll(chunkRange(bodyId, first + 1, last)) : [],
            };
          });
    const head = this.#checked(first, read.head);
    if (!(head instanceof Blob)) return null;
    const parts = [head];
    for (let seq = first + 1; seq <= last; seq++) {
      const record = read.rest[seq - first - 1];
      const data = this.#checked(seq, record?.seq === seq ? record.data : undefined);
      if (!(data instanceof Blob)) {
        throw new StorageError(`chunk ${seq} of body ${bodyId} is not stored as a Blob`);
      }
      parts.push(data);
    }
    return parts;
  }

  /** Chunk `seq` as stored (the prefetched one, or read now); `undefined` when it is gone. */
  async #chunk(seq: number): Promise<unknown> {
    if (seq === 0 && this.#prefetched !== undefined) return this.#prefetched;
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
      // The entry was replaced or purged while this reader was on it.
      throw new StorageError(`chunk ${seq} of body ${bodyId} is gone (entry replaced or purged)`);
    }
    // A chunk of the wrong length would make a body that looks whole but is not.
    if (!isChunkData(data) || chunkLength(data) !== Math.min(chunkSize, size - seq * chunkSize)) {
      throw new StorageError(`chunk ${seq} of body ${bodyId} has the wrong length`);
    }
    return data;
  }
}
