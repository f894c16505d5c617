/**
 * The IndexedDB storage (L2): survives the worker, shared by every context of the origin.
 * See `idb-schema.ts` for the stores and `idb-miss.ts` for how a write becomes visible atomically.
 *
 * Streaming partial writes are not supported here (`lookup` does not follow this context's own
 * writes; the composition provides them in this worker through the memory layer and
 * {@link IdbStorage.lookupWriteInProgress}). With `locks` (and ideally `writesChannel`) given,
 * `lookup` follows another context's write in progress (`idb-remote-follow-hit.ts`).
 */
import type { CacheKey } from '../../core/key.ts';
import { keysEqual, variantHash } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type {
  LookupResult,
  PieceStart,
  PieceWriter,
  PurgeType,
  SparseLookup,
  SparseReadFrom,
  Storage,
  StoredVariant,
} from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { AccessWriteBack } from './access-writeback.ts';
import { INLINE_BODY_MAX_BYTES, type ChunkForms } from './chunk-data.ts';
import { DEFAULT_CHUNK_SIZE } from './chunker.ts';
import { IdbConnection, inTransaction, readInTransaction } from './idb-connection.ts';
import { LOOKUP_READ_AHEAD_CHUNKS, readWholeBody } from './idb-entry-read.ts';
import { COMPACT_DELAY_MS, compactBody, leftInChunks } from './compaction.ts';
import { IdbFollowHitHandler } from './idb-follow-hit.ts';
import { IdbHitHandler } from './idb-hit.ts';
import type { CrossContextWrites } from './idb-miss.ts';
import { IdbMissHandler } from './idb-miss.ts';
import { listCompleteEntries, listUrlVariants, type StoredEntryInfo } from './idb-listing.ts';
import { clearStores, purgeEntry, purgeUrlVariants } from './idb-deletion.ts';
import { collectOrphans } from './orphan-collection.ts';
import type { RemoteFollowContext } from './idb-remote-follow-hit.ts';
import type { MetaRecord } from './idb-schema.ts';
import { DEFAULT_DB_NAME } from './idb-schema.ts';
import { validMetaRecord } from './idb-record-check.ts';
import type { WriteProgress } from './idb-write-progress.ts';
import type { RemoteFollowing } from './remote-following.ts';
import type { RemoteWakeHolds } from '../../core/remote-wake-holds.ts';
import type { IdbSparseEntries, SparseEntriesFactory } from './idb-sparse.ts';
import { collectOrphanPieces } from './sparse-upkeep.ts';
import type { ChannelLike, LockManagerLike } from '../../core/platform.ts';
import { writerLockName } from './writer-liveness.ts';

export interface IdbStorageOptions {
  /** Database name (default `sw-http-cache`). */
  readonly name?: string;
  /** Size of stored body chunks in bytes (default {@link DEFAULT_CHUNK_SIZE}). */
  readonly chunkSize?: number;
  /** Label for `Cache-Status` and stats (default `idb`). */
  readonly label?: string;
  /** Delay before a batch of access times is written (default 2000 ms). */
  readonly accessFlushDelayMs?: number;
  /**
   * A write of another context whose last chunk is older than this is considered dead and its
   * chunks are collected (default 10 minutes).
   */
  readonly staleWriterMs?: number;
  /** Run {@link IdbStorage.collectOrphans} in the background after each open (default true). */
  readonly collectOrphansOnOpen?: boolean;
  /** How long after an open that collection starts, in ms (default 5000). */
  readonly collectOrphansDelayMs?: number;
  /** Clock in ms (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Web Locks (`navigator.locks`): with them, this context's writes can be followed by other
   * contexts and `lookup` follows theirs (a writer holds a lock per write, so a reader never
   * waits on a dead context). Without them, other contexts' writes are seen once complete.
   */
  readonly locks?: LockManagerLike;
  /**
   * `new BroadcastChannel(writesChannelName(name))`: writers post each stored chunk, so readers
   * in other contexts read it at once instead of at their next poll.
   */
  readonly writesChannel?: ChannelLike;
  /** The following code (`remoteFollowing`): without it, `locks` are ignored. */
  readonly following?: RemoteFollowing;
  /**
   * Shared with the cache lock (`crossContext()` gives both the same): a write that lands in one
   * transaction is not registered for following; its key is held there instead, so the lock
   * wakes other contexts' readers once the entry is complete.
   */
  readonly remoteWakeHolds?: RemoteWakeHolds;
  /**
   * Reading and writing pieces of sparse entries (`sparseEntries`, the `partialContent()`
   * feature): without it there is no sparse lookup and no piece writer; listing, purging and
   * orphan collection still cover the sparse entries another context stored.
   */
  readonly partialContent?: SparseEntriesFactory;
  /** Polling of a followed write in another context, in ms (default 50, doubling up to 1000). */
  readonly followPollMs?: { readonly min: number; readonly max: number };
  /**
   * Rewrite a finished body of several Blob chunks as one Blob (default true; `compaction.ts`).
   */
  readonly compactBodies?: boolean;
  /**
   * How long after a hit that found a body of several Blob chunks is released (`finish`) the body
   * is rewritten as one Blob, in ms (default {@link COMPACT_DELAY_MS}; see `compaction.ts`). A
   * write's own body is compacted as soon as the write finished.
   */
  readonly compactDelayMs?: number;
}

export type { StoredEntryInfo } from './idb-listing.ts';

export class IdbStorage implements Storage {
  readonly label: string;
  readonly supportsStreamingPartialWrite = false;
  readonly chunkSize: number;
  readonly #connection: IdbConnection;
  readonly #access: AccessWriteBack;
  readonly #liveWriters = new Set<string>();
  /** Writes in progress in this context, by body id: {@link lookupWriteInProgress} follows them. */
  readonly #writes = new Map<string, WriteProgress>();
  /** Whether the database takes Blob chunks (learned by the first write that is refused one). */
  readonly #chunkForms: ChunkForms = { blobs: true };
  readonly #staleWriterMs: number;
  /** The orphan collection scheduled after the last open, until it starts. */
  #collectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #now: () => number;
  /** Set when writes are followed across contexts (`locks` given). */
  readonly #crossContext: (CrossContextWrites & RemoteFollowContext) | undefined;
  /** Partial content: the `sparse` and `pieces` stores (with the `partialContent` option). */
  readonly #sparse: IdbSparseEntries | undefined;
  /** Readers in this context that read a body chunk by chunk, by body id (see compaction.ts). */
  readonly #pins = new Map<string, number>();
  /** Compactions waiting for their delay, by body id. */
  readonly #compactions = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #compactDelayMs: number;
  readonly #compactBodies: boolean;

  constructor(options: IdbStorageOptions = {}) {
    this.label = options.label ?? 'idb';
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isSafeInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new RangeError(`chunkSize must be a positive integer, got ${this.chunkSize}`);
    }
    this.#staleWriterMs = options.staleWriterMs ?? 10 * 60 * 1000;
    this.#compactDelayMs = options.compactDelayMs ?? COMPACT_DELAY_MS;
    this.#compactBodies = options.compactBodies ?? true;
    this.#now = options.now ?? Date.now;
    const collect = options.collectOrphansOnOpen ?? true;
    const delayMs = options.collectOrphansDelayMs ?? 5000;
    this.#connection = new IdbConnection(options.name ?? DEFAULT_DB_NAME, () => {
      // Later, in the background: the first requests after a start must not queue behind it.
      if (!collect) return;
      clearTimeout(this.#collectTimer);
      this.#collectTimer = setTimeout(() => {
        this.#collectTimer = undefined;
        this.collectOrphans().catch(() => undefined);
      }, delayMs);
    });
    this.#access = new AccessWriteBack(
      (batch) => this.#writeAccessTimes(batch),
      options.accessFlushDelayMs ?? 2000,
    );
    const { locks, following } = options;
    const dbName = this.#connection.name;
    this.#crossContext =
      locks === undefined || following === undefined
        ? undefined
        : {
            connection: this.#connection,
            notifier: following.notifier(options.writesChannel),
            locks,
            following,
            holds: options.remoteWakeHolds,
            lockName: (bodyId) => writerLockName(dbName, bodyId),
            staleWriterMs: this.#staleWriterMs,
            now: this.#now,
            pollMs: options.followPollMs ?? { min: 50, max: 1000 },
          };
    this.#sparse = options.partialContent?.({
      connection: this.#connection,
      now: this.#now,
      label: this.label,
      // Pieces small enough to be stored inline (Chromium keeps a larger value in a file of its
      // own, which a read opens: docs/partial-content.md, "Piece size"), committed a chunk at a time.
      pieceSize: Math.min(this.chunkSize, INLINE_BODY_MAX_BYTES),
      commitSize: this.chunkSize,
      completeWrite: (key, meta) => this.getMissHandler(key, meta),
    });
  }

  get name(): string {
    return this.#connection.name;
  }

  /**
   * Opens the database now instead of at the first call. A worker calls it as it starts, so the
   * open runs while the browser dispatches the request that started it, not in front of its
   * lookup. Rejects with a `StorageError` when the database cannot be opened (the next call tries
   * again).
   */
  async open(): Promise<void> {
    await this.#connection.get();
  }

  /**
   * The complete entry of `key`, or `null`. When other contexts' writes can be followed (`locks`
   * given), the newest live write of `key` in progress in another context wins over the complete
   * entry (as in pingora): its reader follows it chunk by chunk.
   */
  async lookup(key: CacheKey): Promise<LookupResult | null> {
    const hash = variantHash(key);
    const cross = this.#crossContext;
    const found = await this.#connection.run('looking up an entry', async (db) => {
      const tx = db.transaction(['meta', 'body'], 'readonly');
      return readInTransaction(tx, async () => {
        // A malformed record (written by anyone: see idb-record-check.ts) is a miss.
        const stored = validMetaRecord(await tx.objectStore('meta').get(hash), hash);
        if (stored === undefined || !keysEqual(stored.key, key)) return null;
        // The body's chunks are read here (one transaction per hit); a complete body whose
        // chunks are not all there is never served.
        const chunks =
          stored.complete === 1
            ? await readWholeBody(tx.objectStore('body'), stored, LOOKUP_READ_AHEAD_CHUNKS)
            : undefined;
        const record: MetaRecord = chunks === undefined ? { ...stored, complete: 0 } : stored;
        const writing = cross?.following.writeOf(cross, record, this.#liveWriters);
        if (record.complete !== 1 && writing === undefined) return null;
        return { record, chunks: writing === undefined ? chunks : undefined, writing };
      });
    });
    if (found === null) return null;
    if (found.writing !== undefined) {
      const { writing } = found;
      const followed = await cross?.following.follow(cross, writing, this.label);
      if (followed) return { meta: writing.meta, hit: followed };
      if (found.record.complete !== 1) return null;
    }
    this.touch(key);
    const { record, chunks } = found;
    // A body still in chunks (its compaction was lost with a stopped worker, or it was stored
    // before compaction): compacted for the next hits, once this one is released.
    const release =
      chunks !== undefined && leftInChunks(record, chunks)
        ? () => this.#compactLater(record.hash, record.bodyId, this.#compactDelayMs)
        : undefined;
    return {
      meta: record.meta,
      hit: new IdbHitHandler(this.#connection, record, this.label, chunks, release),
    };
  }

  /**
   * The newest write of `key` in progress *in this context*, as a reader that follows it chunk by
   * chunk (from IndexedDB, so memory stays at one chunk) and ends exactly when it finishes; or
   * `null`. Other contexts cannot follow it: they see the entry once it is complete. This is what
   * lets readers in this worker follow a body the memory layer refused (too large).
   */
  lookupWriteInProgress(key: CacheKey, start = 0): LookupResult | null {
    const writes = [...this.#writes.values()].filter((w) => keysEqual(w.key, key));
    const newest = writes.at(-1);
    return newest === undefined ? null : this.#follow(newest, start);
  }

  /**
   * Starts a write. When other contexts can follow it (`locks` given), it is registered first
   * (writer lock, then its entry in the key's meta record), so a reader woken by the cache lock
   * finds it at once; a body that lands in one transaction is held in `remoteWakeHolds` instead
   * (see {@link IdbMissHandler.register}).
   */
  async getMissHandler(key: CacheKey, meta: CacheMeta): Promise<IdbMissHandler> {
    const context = {
      connection: this.#connection,
      chunkSize: this.chunkSize,
      now: this.#now,
      liveWriters: this.#liveWriters,
      writes: this.#writes,
      crossContext: this.#crossContext,
      chunkForms: this.#chunkForms,
      compact: (hash: string, bodyId: string) => this.#compactLater(hash, bodyId, 0),
    };
    const miss = new IdbMissHandler(context, key, meta);
    if (this.#crossContext !== undefined) await miss.register();
    return miss;
  }

  /** Deletes the meta and every body of `key` (complete or being written) in one transaction. */
  purge(key: CacheKey, _type: PurgeType): Promise<boolean> {
    return purgeEntry(this.#connection, this.#access, key);
  }

  /** Purges every variant of `key`'s URL (via the primary-hash index); returns how many. */
  purgeVariants(key: CacheKey): Promise<number> {
    return purgeUrlVariants(this.#connection, this.#access, key);
  }

  /**
   * The complete entries of `key`'s URL, in one read transaction over the primary-hash index:
   * like {@link listMeta}, only what `lookup` would serve (well-formed, every chunk there).
   */
  listVariants(key: CacheKey): Promise<readonly StoredVariant[]> {
    return listUrlVariants(this.#connection, key);
  }

  /**
   * Rewrites the meta of a complete entry, or else of the sparse entry; the body is not touched.
   */
  async updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    return (
      (await this.#updateCompleteMeta(key, meta)) || (this.#sparse?.updateMeta(key, meta) ?? false)
    );
  }

  #updateCompleteMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    const hash = variantHash(key);
    return this.#connection.run('updating meta', async (db) => {
      const tx = db.transaction('meta', 'readwrite');
      return inTransaction(tx, async () => {
        const record = validMetaRecord(await tx.store.get(hash), hash);
        if (record?.complete !== 1 || !keysEqual(record.key, key)) return false;
        await tx.store.put({ ...record, meta });
        return true;
      });
    });
  }

  /** Records an access to `key`; written to IndexedDB with the next batch (see {@link flush}). */
  touch(key: CacheKey): void {
    this.#access.record(variantHash(key), this.#now());
  }

  /** Writes the pending access times now, in one transaction. */
  flush(): Promise<void> {
    return this.#access.flush();
  }

  /**
   * Every complete entry with its size and last access, without reading a body, then every
   * sparse entry with the bytes it holds as its size (`idb-listing.ts`).
   */
  async listMeta(): Promise<StoredEntryInfo[]> {
    const complete = await listCompleteEntries(this.#connection, this.#access);
    // A sparse entry beside a complete one of its key is not served (lookups take the complete
    // one) and goes with it when it is purged: it is not listed on its own.
    const whole = new Set(complete.map((entry) => variantHash(entry.key)));
    const sparse = (await this.#sparse?.list()) ?? [];
    return [...complete, ...sparse.filter((entry) => !whole.has(variantHash(entry.key)))];
  }

  /** Deletes every entry, body and piece (writes in progress fail at `finish`). */
  clear(): Promise<void> {
    return clearStores(this.#connection, this.#access);
  }

  /**
   * Deletes the chunks no complete entry points to and no live writer owns: what a worker stopped
   * mid-write left behind. A writer is live when it belongs to this context or stored a chunk
   * within `staleWriterMs`. Returns the number of chunks deleted.
   */
  async collectOrphans(): Promise<number> {
    const chunks = await collectOrphans({
      connection: this.#connection,
      liveWriters: this.#liveWriters,
      staleWriterMs: this.#staleWriterMs,
      now: this.#now,
    });
    return chunks + (await collectOrphanPieces(this.#connection));
  }

  /**
   * The sparse entry of `key` (partial content, see `idb-sparse.ts`), or `null`; always `null`
   * without the `partialContent` option.
   */
  async lookupSparse(key: CacheKey, readFrom?: SparseReadFrom): Promise<SparseLookup | null> {
    return (await this.#sparse?.lookup(key, readFrom)) ?? null;
  }

  /** Starts storing a 206's body as pieces of `key`'s sparse entry (needs `partialContent`). */
  getPieceWriter(key: CacheKey, piece: PieceStart): Promise<PieceWriter> {
    if (this.#sparse === undefined) {
      return Promise.reject(
        new StorageError('storing pieces needs the partialContent option (sparseEntries)'),
      );
    }
    return this.#sparse.startPieces(key, piece);
  }

  /** Flushes pending access times and closes the connection (the next call reopens it). */
  async close(): Promise<void> {
    clearTimeout(this.#collectTimer);
    this.#collectTimer = undefined;
    for (const timer of this.#compactions.values()) clearTimeout(timer);
    this.#compactions.clear();
    await this.flush().catch(() => undefined);
    await this.#connection.close();
  }

  #follow(write: WriteProgress, start: number): LookupResult {
    const { bodyId } = write;
    // It reads the write's chunks until its last: its body is not compacted meanwhile.
    this.#pins.set(bodyId, (this.#pins.get(bodyId) ?? 0) + 1);
    const unpin = (): void => {
      const left = (this.#pins.get(bodyId) ?? 1) - 1;
      if (left > 0) this.#pins.set(bodyId, left);
      else this.#pins.delete(bodyId);
    };
    const hit = new IdbFollowHitHandler(this.#connection, write, this.label, start, unpin);
    return { meta: write.meta, hit };
  }

  /** Compacts the body `bodyId` of entry `hash` after `delayMs`, in the background (once). */
  #compactLater(hash: string, bodyId: string, delayMs: number): void {
    if (!this.#compactBodies || this.#compactions.has(bodyId)) return;
    const timer = setTimeout(() => {
      const context = {
        connection: this.#connection,
        pinned: (id: string) => this.#pins.has(id),
      };
      // Best effort: a body left in chunks is served all the same.
      compactBody(context, hash, bodyId)
        .catch(() => false)
        .finally(() => this.#compactions.delete(bodyId));
    }, delayMs);
    this.#compactions.set(bodyId, timer);
  }

  /** The write-back's writer: one transaction; entries that no longer exist are skipped. */
  #writeAccessTimes(batch: ReadonlyMap<string, number>): Promise<void> {
    return this.#connection.run('writing access times', async (db) => {
      const tx = db.transaction('meta', 'readwrite');
      await inTransaction(tx, async () => {
        for (const [hash, at] of batch) {
          const record = validMetaRecord(await tx.store.get(hash), hash);
          if (record?.complete === 1 && record.lastAccess < at) {
            await tx.store.put({ ...record, lastAccess: at });
          }
        }
      });
    });
  }
}
