/**
 * The miss handler of {@link IdbStorage}. Chunks go under a fresh `bodyId`, invisible to lookups;
 * `finish` stores the last chunk and flips the meta in one transaction (deleting the previous body
 * of the key there too), so a lookup sees either the old entry or the whole new one. A body smaller
 * than one chunk is stored by that single transaction. Chunks are stored as Blobs, except the one
 * chunk of a small body and where the database refuses Blobs (see `chunk-data.ts`).
 */
import type { CacheKey } from '../../core/key.ts';
import { primaryHash, variantHash } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { MissHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { INLINE_BODY_MAX_BYTES, toChunkData } from './chunk-data.ts';
import type { ChunkForms } from './chunk-data.ts';
import { Rechunker } from './chunker.ts';
import { isQuotaExceeded, toStorageError } from '../errors.ts';
import type { IdbConnection } from './idb-connection.ts';
import { inTransaction } from './idb-connection.ts';
import type { MetaRecord, WriterRecord } from './idb-schema.ts';
import { chunkRange } from './idb-schema.ts';
import { validMetaRecord } from './idb-record-check.ts';
import { WriteProgress } from './idb-write-progress.ts';
import type { WriteMessage, WriteNotifier } from './write-notifier.ts';
import type { LockManagerLike } from '../../core/platform.ts';
import type { WriterLock } from './writer-liveness.ts';
import type { HeldWriteEnd, RemoteWakeHolds } from '../../core/remote-wake-holds.ts';
import type { RemoteFollowing } from './remote-following.ts';
import { LockStatus } from '../../core/lock.ts';

/** What a write needs so readers in other contexts can follow it. */
export interface CrossContextWrites {
  readonly notifier: WriteNotifier;
  readonly locks: LockManagerLike;
  /** The writer lock name of a body id. */
  readonly lockName: (bodyId: string) => string;
  /** The following code (`remote-following.ts`): the writer lock, which writes to hold. */
  readonly following: RemoteFollowing;
  /** Where a write that lands in one transaction holds its key instead of registering. */
  readonly holds?: RemoteWakeHolds | undefined;
}

export interface IdbWriteContext {
  readonly connection: IdbConnection;
  readonly chunkSize: number;
  readonly now: () => number;
  /** Body ids written in this context right now: orphan collection never touches them. */
  readonly liveWriters: Set<string>;
  /** This context's writes in progress by body id, for readers that follow them. */
  readonly writes: Map<string, WriteProgress>;
  /** Set when other contexts may follow this context's writes. */
  readonly crossContext?: CrossContextWrites;
  /** Whether the database takes Blobs, shared by the storage's writes. */
  readonly chunkForms: ChunkForms;
  /** Asks for a finished body of several Blob chunks to be rewritten as one (compaction.ts). */
  readonly compact?: (hash: string, bodyId: string) => void;
}

type WriteState = 'writing' | 'finishing' | 'finished' | 'aborted';

/** The `meta` store of a read-write transaction, as the writer uses it. */
interface MetaStore {
  get(hash: string): Promise<unknown>;
  put(record: MetaRecord): Promise<unknown>;
}

export class IdbMissHandler implements MissHandler {
  /** The id of the body this write stores: its chunks' key, its writer lock's name. */
  readonly bodyId: string;
  readonly #context: IdbWriteContext;
  readonly #key: CacheKey;
  readonly #hash: string;
  readonly #meta: CacheMeta;
  readonly #rechunker: Rechunker;
  /** Chunks stored so far. */
  #stored = 0;
  #size = 0;
  /** This body's chunks are Blobs (else bytes): one form per body. */
  #blobs: boolean;
  #state: WriteState = 'writing';
  readonly #progress: WriteProgress;
  /** Held while other contexts may follow this write (see {@link register}). */
  #lock: WriterLock | undefined;
  /** The write's meta record entry exists (registered or chunks stored). */
  #recorded = false;
  /** Ends the hold on other contexts' readers of a write that is not registered. */
  #endHold: ((end: HeldWriteEnd) => void) | undefined;
  #startedAt: number;

  constructor(context: IdbWriteContext, key: CacheKey, meta: CacheMeta) {
    this.#context = context;
    this.#key = key;
    this.#hash = variantHash(key);
    this.#meta = meta;
    this.#rechunker = new Rechunker(context.chunkSize);
    this.#blobs = context.chunkForms.blobs;
    this.bodyId = crypto.randomUUID();
    context.liveWriters.add(this.bodyId);
    this.#progress = new WriteProgress(key, meta, this.bodyId, context.chunkSize);
    context.writes.set(this.bodyId, this.#progress);
    this.#startedAt = context.now();
  }

  /**
   * Makes the write followable by other contexts before its first chunk: takes the writer lock,
   * then records the write (no chunks yet) in the key's meta record. Best effort: without the
   * lock the write is not followable elsewhere; without the record it is found from its first
   * chunk on.
   *
   * A body declared to land in one transaction (`whole-writes.ts`) is not registered:
   * followers would get nothing before the finish anyway. Its key is held in the lock's
   * `holds` until then, so other contexts' readers wake to the complete entry; that saves a Web
   * Lock and a read-write transaction in front of the response.
   */
  async register(): Promise<void> {
    const cross = this.#context.crossContext;
    if (cross === undefined || this.#state !== 'writing') return;
    const { following, holds } = cross;
    this.#endHold =
      holds && following.holdIfWhole(holds, this.#hash, this.#meta, this.#context.chunkSize);
    if (this.#endHold !== undefined) return;
    try {
      this.#lock = await following.writerLock(cross.locks, cross.lockName(this.bodyId));
    } catch {
      return;
    }
    if (this.#state !== 'writing') {
      // Aborted while the lock was being granted: nobody will follow it.
      this.#lock.release();
      return;
    }
    try {
      await this.#context.connection.run('registering a body write', async (db) => {
        const tx = db.transaction('meta', 'readwrite');
        await inTransaction(tx, () => this.#putWriter(tx.store, 0));
      });
      this.#recorded = true;
    } catch {
      // Found by other contexts once its first chunk is stored.
    }
  }

  /** How far this write has come (for followers in this context). */
  get progress(): WriteProgress {
    return this.#progress;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#assertState('writing', 'write');
    this.#size += chunk.byteLength;
    const full = this.#rechunker.push(chunk);
    if (full.length === 0) return;
    try {
      await this.#storeChunks(full);
    } catch (error) {
      await this.#discard();
      throw toStorageError(error, 'storing a body chunk');
    }
  }

  async finish(): Promise<number> {
    this.#assertState('writing', 'finish');
    this.#state = 'finishing';
    try {
      await this.#publish(this.#rechunker.flush());
    } catch (error) {
      await this.#discard();
      throw toStorageError(error, 'finishing a body');
    }
    this.#state = 'finished';
    this.#context.liveWriters.delete(this.bodyId);
    this.#progress.finished(this.#stored, this.#size);
    this.#context.writes.delete(this.bodyId);
    const { bodyId } = this;
    this.#tellFollowers({ bodyId, seq: this.#stored, done: true });
    // Only after the flip committed: a reader that sees the lock free reads the final record.
    this.#lock?.release();
    this.#endHold?.(LockStatus.Done);
    if (this.#blobs && this.#stored > 1) this.#context.compact?.(this.#hash, bodyId);
    return this.#size;
  }

  async abort(_reason?: unknown): Promise<void> {
    if (this.#state !== 'writing') return;
    await this.#discard();
  }

  #storeChunks(chunks: readonly Uint8Array[]): Promise<void> {
    const { connection } = this.#context;
    const { bodyId } = this;
    return this.#inChunkForm((blobs) =>
      connection.run('storing a body chunk', async (db) => {
        const tx = db.transaction(['meta', 'body'], 'readwrite');
        const first = this.#stored;
        await inTransaction(tx, async () => {
          const body = tx.objectStore('body');
          // A chunk stored before `finish` belongs to a body of more than one chunk, or of one
          // whole chunk (larger than the inline limit at the default chunk size): a Blob, unless
          // the database refuses Blobs.
          for (const [i, bytes] of chunks.entries()) {
            await body.put({ bodyId, seq: first + i, data: toChunkData(bytes, !blobs) });
          }
          // Heartbeat: tells orphan collection in other contexts that this write is alive.
          await this.#putWriter(tx.objectStore('meta'), first + chunks.length);
        });
        this.#recorded = true;
        this.#stored = first + chunks.length;
        this.#progress.stored(this.#stored);
        this.#tellFollowers({ bodyId, seq: this.#stored });
      }),
    );
  }

  /**
   * Runs `store` with this body's chunk form. When the first Blob transaction of a body fails for
   * another reason than the quota and succeeds with bytes, the database refuses Blobs (WebKit's
   * ephemeral IndexedDB: "Error preparing Blob/File data"): this body and every later one of the
   * storage are stored as bytes. Otherwise the first error stands.
   */
  async #inChunkForm(store: (blobs: boolean) => Promise<void>): Promise<void> {
    try {
      await store(this.#blobs);
    } catch (error) {
      if (!this.#blobs || this.#stored > 0 || isQuotaExceeded(error)) throw error;
      await store(false).catch(() => {
        throw error;
      });
      this.#blobs = false;
      this.#context.chunkForms.blobs = false;
    }
  }

  /** Puts this write's entry, `chunks` stored, in the key's meta record (made if missing). */
  async #putWriter(meta: MetaStore, chunks: number): Promise<void> {
    const record = validMetaRecord(await meta.get(this.#hash), this.#hash) ?? this.#pendingRecord();
    await meta.put(this.#withWriter(record, chunks));
  }

  /** `record` with this write's entry (moved last) and its heartbeat, `chunks` stored. */
  #withWriter(record: MetaRecord, chunks: number): MetaRecord {
    const { bodyId } = this;
    const writer: WriterRecord = {
      bodyId,
      heartbeatAt: this.#context.now(),
      ...(this.#lock !== undefined && {
        follow: {
          meta: this.#meta,
          chunkSize: this.#context.chunkSize,
          chunks,
          startedAt: this.#startedAt,
        },
      }),
    };
    const writers = record.writers.filter((w) => w.bodyId !== bodyId);
    return { ...record, writers: [...writers, writer] };
  }

  #publish(last: Uint8Array | null): Promise<void> {
    const { connection, chunkSize, now } = this.#context;
    const { bodyId } = this;
    return this.#inChunkForm((blobs) =>
      connection.run('finishing a body', async (db) => {
        const tx = db.transaction(['meta', 'body'], 'readwrite');
        await inTransaction(tx, async () => {
          const body = tx.objectStore('body');
          if (last !== null) {
            const inline =
              !blobs || (this.#stored === 0 && last.byteLength <= INLINE_BODY_MAX_BYTES);
            await body.put({ bodyId, seq: this.#stored, data: toChunkData(last, inline) });
          }
          // Chunks stored before this transaction may have been purged or cleared since; a body
          // stored whole here has none (the common small miss: one request fewer).
          const expected = this.#stored + (last === null ? 0 : 1);
          if (this.#stored > 0 && (await body.count(chunkRange(bodyId))) !== expected) {
            throw new StorageError(
              'chunks of this write were removed (purged or cleared) before it finished',
            );
          }
          const meta = tx.objectStore('meta');
          const current = validMetaRecord(await meta.get(this.#hash), this.#hash);
          if (current?.complete === 1 && current.bodyId !== bodyId)
            await body.delete(chunkRange(current.bodyId));
          await meta.put({
            ...this.#pendingRecord(),
            bodyId,
            size: this.#size,
            chunkSize,
            complete: 1,
            writers: (current?.writers ?? []).filter((w) => w.bodyId !== bodyId),
            lastAccess: now(),
          });
        });
        if (last !== null) this.#stored++;
      }),
    );
  }

  /** Deletes what this write stored (best effort: orphan collection catches what is left). */
  async #discard(): Promise<void> {
    this.#state = 'aborted';
    const { bodyId } = this;
    // Followers fail at once, before the chunks they would read are deleted.
    this.#progress.aborted(new StorageError('the body write was aborted'));
    this.#context.writes.delete(bodyId);
    this.#tellFollowers({ bodyId, seq: this.#stored, aborted: true });
    try {
      if (this.#stored > 0 || this.#recorded) {
        await this.#context.connection.run('aborting a body write', async (db) => {
          const tx = db.transaction(['meta', 'body'], 'readwrite');
          await inTransaction(tx, async () => {
            await tx.objectStore('body').delete(chunkRange(bodyId));
            const meta = tx.objectStore('meta');
            const record = validMetaRecord(await meta.get(this.#hash), this.#hash);
            if (record === undefined) return;
            const writers = record.writers.filter((w) => w.bodyId !== bodyId);
            if (record.complete === 0 && writers.length === 0) await meta.delete(this.#hash);
            else await meta.put({ ...record, writers });
          });
        });
      }
    } catch {
      // Left for collectOrphans().
    } finally {
      this.#context.liveWriters.delete(bodyId);
      this.#lock?.release();
      this.#endHold?.(LockStatus.TransientError);
    }
  }

  /** Posts to other contexts' followers: only a write with its writer lock has any. */
  #tellFollowers(message: WriteMessage): void {
    if (this.#lock !== undefined) this.#context.crossContext?.notifier.post(message);
  }

  /** The record of a key with no complete body yet: invisible to lookups, lists its writers. */
  #pendingRecord(): MetaRecord {
    return {
      hash: this.#hash,
      primaryHash: primaryHash(this.#key),
      key: this.#key,
      meta: this.#meta,
      bodyId: '',
      size: 0,
      chunkSize: this.#context.chunkSize,
      complete: 0,
      writers: [],
      lastAccess: 0,
    };
  }

  #assertState(expected: WriteState, doing: string): void {
    if (this.#state !== expected) {
      throw new StorageError(`cannot ${doing}: the write is ${this.#state}`);
    }
  }
}
