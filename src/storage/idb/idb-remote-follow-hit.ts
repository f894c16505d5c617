/**
 * A hit handler that follows a write to IndexedDB in progress in *another* context (a second
 * worker, the old worker during an update). Progress is read from the key's meta record (the
 * writer's entry counts its stored chunks; the flip to complete gives the final size); the writer
 * posts a message on the writes channel after each chunk transaction, and the reader also polls
 * with backoff, so a lost message only delays it. It ends exactly when the meta flips to this body,
 * and rejects with `StorageError` when the write is aborted, its body is gone (purged, collected),
 * its writer's context died (writer lock free), or no progress came for `staleWriterMs`: never a
 * short body that looks whole. Memory stays at one chunk per reader.
 */
import type { HitHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { chunkBytes, chunkLength, isChunkData } from './chunk-data.ts';
import type { IdbConnection } from './idb-connection.ts';
import { readInTransaction } from './idb-connection.ts';
import { compactedIn } from './compaction.ts';
import type { ChunkRecord, MetaRecord } from './idb-schema.ts';
import type { WriteNotifier } from './write-notifier.ts';
import type { LockManagerLike } from '../../core/platform.ts';
import { isLockHeld } from './writer-liveness.ts';

/** Where the reader finds the write and how it waits for it. */
export interface RemoteFollowContext {
  readonly connection: IdbConnection;
  readonly notifier: WriteNotifier;
  readonly locks: LockManagerLike;
  readonly lockName: (bodyId: string) => string;
  readonly staleWriterMs: number;
  readonly now: () => number;
  /** Polling interval bounds in ms: from `min`, doubling up to `max` while nothing happens. */
  readonly pollMs: { readonly min: number; readonly max: number };
}

/** The write as the lookup found it. */
export interface RemoteWrite {
  /** The key's meta record (its variant hash). */
  readonly hash: string;
  readonly bodyId: string;
  readonly chunkSize: number;
  /** Chunks stored when the lookup read the record. */
  readonly chunks: number;
}

export class IdbRemoteFollowHitHandler implements HitHandler {
  readonly source: string;
  /** Following a write has no random access; the stored entry has it once complete. */
  readonly canSeek = false;
  readonly #context: RemoteFollowContext;
  readonly #write: RemoteWrite;
  #stored: number;
  #size: number | undefined;
  #position = 0;
  #released = false;
  #aborted = false;
  #lastProgressAt: number;
  #pollMs: number;
  #wake: (() => void) | undefined;
  /** A message came since the last refresh began: look again instead of waiting. */
  #news = false;
  /** The write's body as one Blob, once it was compacted under this reader (compaction.ts). */
  #compacted: Blob | undefined;
  readonly #unwatch: () => void;

  constructor(context: RemoteFollowContext, write: RemoteWrite, source: string) {
    this.#context = context;
    this.#write = write;
    this.source = source;
    this.#stored = write.chunks;
    this.#lastProgressAt = context.now();
    this.#pollMs = context.pollMs.min;
    this.#unwatch = context.notifier.watch(write.bodyId, (message) => {
      if (message.aborted === true) this.#aborted = true;
      this.#news = true;
      this.#wake?.();
    });
  }

  get size(): number | undefined {
    return this.#size;
  }

  /** The body id of the write being followed. */
  get bodyId(): string {
    return this.#write.bodyId;
  }

  seek(): void {
    throw new RangeError('seek needs a complete body');
  }

  async readBody(): Promise<Uint8Array | null> {
    try {
      const part = await this.#next();
      if (part === null) this.#unwatch();
      return part;
    } catch (error) {
      this.#unwatch();
      throw error;
    }
  }

  finish(): Promise<void> {
    this.#released = true;
    this.#unwatch();
    this.#wake?.();
    return Promise.resolve();
  }

  async #next(): Promise<Uint8Array | null> {
    const { chunkSize, bodyId } = this.#write;
    const seq = Math.floor(this.#position / chunkSize);
    for (;;) {
      if (this.#released) return null;
      this.#assertNotAborted();
      if (this.#size !== undefined && this.#position >= this.#size) return null;
      if (seq < this.#stored) break;
      this.#news = false;
      if (await this.#refresh(true)) continue;
      await this.#waitForNews();
    }
    const compacted = this.#compacted ?? (await this.#chunkOrCompacted(seq));
    this.#assertNotAborted();
    if (compacted instanceof Blob) {
      // Compacted once finished: the rest is read from the one Blob, a chunk's worth at a time.
      this.#compacted = compacted;
      const end = Math.min(compacted.size, (seq + 1) * chunkSize);
      const part = await chunkBytes(compacted.slice(this.#position, end));
      this.#position += part.byteLength;
      return part;
    }
    const record = compacted;
    if (record === undefined) {
      throw new StorageError(`chunk ${seq} of body ${bodyId} is gone (write aborted or purged)`);
    }
    // Every chunk but the last of a finished body is exactly `chunkSize` long.
    const size = this.#size;
    const expected = size === undefined ? chunkSize : Math.min(chunkSize, size - seq * chunkSize);
    if (!isChunkData(record.data) || chunkLength(record.data) !== expected) {
      throw new StorageError(`chunk ${seq} of body ${bodyId} has the wrong length`);
    }
    const data = await chunkBytes(record.data);
    this.#assertNotAborted();
    const part = data.subarray(this.#position - seq * chunkSize);
    this.#position += part.byteLength;
    return part;
  }

  /**
   * Chunk `seq` of the write; or, when it is gone because the finished body was compacted (the
   * entry names this write in `writtenAs`), the compacted body as one Blob.
   */
  async #chunkOrCompacted(seq: number): Promise<ChunkRecord | Blob | undefined> {
    const { hash, bodyId } = this.#write;
    return this.#context.connection.run('reading a body chunk', async (db) => {
      const tx = db.transaction(['meta', 'body'], 'readonly');
      return readInTransaction(tx, async () => {
        const chunk = await tx.objectStore('body').get([bodyId, seq]);
        return chunk ?? (await compactedIn(tx, hash, bodyId))?.whole;
      });
    });
  }

  /**
   * Reads the write's progress from its meta record: `true` when there is more to read (or the
   * end is known). Throws when the write is gone, dead or stale.
   */
  async #refresh(checkLiveness: boolean): Promise<boolean> {
    const { connection, now, staleWriterMs } = this.#context;
    const { hash, bodyId, chunkSize } = this.#write;
    const record = await connection.run('following a write', (db) => db.get('meta', hash));
    if (record?.complete === 1 && (record.bodyId === bodyId || record.writtenAs === bodyId)) {
      this.#size = record.size;
      this.#stored = Math.ceil(record.size / chunkSize);
      return true;
    }
    const chunks = storedChunks(record, bodyId);
    if (chunks === undefined) {
      throw new StorageError(`the write of body ${bodyId} is gone (aborted, purged or replaced)`);
    }
    if (chunks > this.#stored) {
      this.#stored = chunks;
      this.#lastProgressAt = now();
      this.#pollMs = this.#context.pollMs.min;
      return true;
    }
    if (now() - this.#lastProgressAt >= staleWriterMs) {
      throw new StorageError(
        `the write of body ${bodyId} made no progress for ${staleWriterMs} ms`,
      );
    }
    if (!checkLiveness) return false;
    const { locks, lockName } = this.#context;
    if (await isLockHeld(locks, lockName(bodyId))) return false;
    // The writer lets go of its lock only after its last transaction: read the final state.
    if (await this.#refresh(false)) return true;
    throw new StorageError(`the writer of body ${bodyId} is gone (its context ended)`);
  }

  /** Until a message about this write arrives, or the polling interval passes (then it grows). */
  async #waitForNews(): Promise<void> {
    if (this.#news) return;
    const delay = this.#pollMs;
    this.#pollMs = Math.min(delay * 2, this.#context.pollMs.max);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      timer = setTimeout(resolve, delay);
    });
    clearTimeout(timer);
    this.#wake = undefined;
  }

  #assertNotAborted(): void {
    if (this.#aborted)
      throw new StorageError(`the write of body ${this.#write.bodyId} was aborted`);
  }
}

/** Chunks stored by the write of `bodyId` per its writer entry, `undefined` when there is none. */
function storedChunks(record: MetaRecord | undefined, bodyId: string): number | undefined {
  const writer = record?.writers.find((w) => w.bodyId === bodyId);
  if (writer === undefined) return undefined;
  return writer.follow?.chunks ?? 0;
}
