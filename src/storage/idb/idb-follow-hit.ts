/**
 * A hit handler that follows a write to IndexedDB in progress in this context: it reads each
 * chunk back from IndexedDB once the writer has stored it, waits for the next one, and ends
 * exactly when the write finishes. If the write is aborted it rejects (never a short body that
 * looks whole). Memory stays at one chunk per reader, whatever the body size.
 */
import type { HitHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import type { ChunkData } from './chunk-data.ts';
import { chunkBytes, chunkLength, isChunkData } from './chunk-data.ts';
import type { IdbConnection } from './idb-connection.ts';
import type { WriteProgress } from './idb-write-progress.ts';

export class IdbFollowHitHandler implements HitHandler {
  readonly source: string;
  /** Following a write has no random access; the stored entry has it once complete. */
  readonly canSeek = false;
  readonly #connection: IdbConnection;
  readonly #progress: WriteProgress;
  #position: number;
  #released = false;
  /** Called once, when this reader no longer reads the write's chunks. */
  #onRelease: (() => void) | undefined;

  /**
   * `start`: the first body byte to return (a reader that switched layers part way);
   * `onRelease`: called once when it is released (`finish`).
   */
  constructor(
    connection: IdbConnection,
    progress: WriteProgress,
    source: string,
    start = 0,
    onRelease?: () => void,
  ) {
    this.#connection = connection;
    this.#progress = progress;
    this.source = source;
    this.#position = start;
    this.#onRelease = onRelease;
  }

  get size(): number | undefined {
    return this.#progress.size;
  }

  /** The body id of the write being followed. */
  get bodyId(): string {
    return this.#progress.bodyId;
  }

  seek(): void {
    throw new RangeError('seek needs a complete body');
  }

  async readBody(): Promise<Uint8Array | null> {
    const progress = this.#progress;
    const { chunkSize } = progress;
    const seq = Math.floor(this.#position / chunkSize);
    for (;;) {
      if (this.#released) return null;
      progress.assertNotAborted();
      if (progress.size !== undefined && this.#position >= progress.size) return null;
      if (seq < progress.storedChunks) break;
      if (progress.state === 'finished') return null;
      await progress.changed;
    }
    const stored = await this.#readChunk(seq);
    // Every chunk but the last of a finished body is exactly `chunkSize` long.
    const size = progress.size;
    const expected = size === undefined ? chunkSize : Math.min(chunkSize, size - seq * chunkSize);
    if (!isChunkData(stored) || chunkLength(stored) !== expected) {
      throw new StorageError(`chunk ${seq} of body ${progress.bodyId} has the wrong length`);
    }
    const data = await chunkBytes(stored);
    const part = data.subarray(this.#position - seq * chunkSize);
    this.#position += part.byteLength;
    return part;
  }

  finish(): Promise<void> {
    this.#released = true;
    this.#onRelease?.();
    this.#onRelease = undefined;
    return Promise.resolve();
  }

  async #readChunk(seq: number): Promise<ChunkData> {
    const bodyId = this.#progress.bodyId;
    const record = await this.#connection.run('reading a body chunk', (db) =>
      db.get('body', [bodyId, seq]),
    );
    if (record === undefined) {
      this.#progress.assertNotAborted();
      throw new StorageError(`chunk ${seq} of body ${bodyId} is gone (entry replaced or purged)`);
    }
    return record.data;
  }
}
