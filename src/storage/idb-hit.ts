/**
 * The hit handler of {@link IdbStorage}: reads one fixed-size chunk per call, so a range read
 * (`seek`) fetches only the chunks that hold the range.
 */
import type { HitHandler } from '../core/storage.ts';
import { StorageError } from '../core/storage.ts';
import type { IdbConnection } from './idb-connection.ts';
import { checkedRange } from './seek-range.ts';

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
  readonly #prefetched: Uint8Array | undefined;
  #position = 0;
  #end: number;
  #released = false;

  constructor(
    connection: IdbConnection,
    body: StoredBody,
    source: string,
    firstChunk?: Uint8Array,
  ) {
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
    const { chunkSize, size } = this.#body;
    const seq = Math.floor(this.#position / chunkSize);
    const data = seq === 0 && this.#prefetched ? this.#prefetched : await this.#readChunk(seq);
    const chunkStart = seq * chunkSize;
    // A chunk of the wrong length would make a body that looks whole but is not.
    if (data.byteLength !== Math.min(chunkSize, size - chunkStart)) {
      throw new StorageError(`chunk ${seq} of body ${this.#body.bodyId} has the wrong length`);
    }
    const part = data.subarray(
      this.#position - chunkStart,
      Math.min(this.#end - chunkStart, data.byteLength),
    );
    this.#position += part.byteLength;
    return part;
  }

  finish(): Promise<void> {
    this.#released = true;
    return Promise.resolve();
  }

  async #readChunk(seq: number): Promise<Uint8Array> {
    const { bodyId } = this.#body;
    const record = await this.#connection.run('reading a body chunk', (db) =>
      db.get('body', [bodyId, seq]),
    );
    if (record === undefined) {
      // The entry was replaced or purged while this reader was on it.
      throw new StorageError(`chunk ${seq} of body ${bodyId} is gone (entry replaced or purged)`);
    }
    return record.data;
  }
}
