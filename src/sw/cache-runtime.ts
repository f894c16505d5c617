/// <reference lib="webworker" />
/**
 * The worker's cache, assembled: memory (L1) over IndexedDB (L2, with quota retry), events on a
 * BroadcastChannel (with the features that have listeners for them), byte-budget eviction
 * rebuilt from the stored metas, and the cache lock.
 */
import { normalizeUrl, type CacheKey } from '../core/key.ts';
import type { Storage } from '../core/storage.ts';
import {
  defaultBudget,
  estimateBudget,
  LruEvictionManager,
  type EvictionBudget,
} from '../eviction/index.ts';
import { LockTable } from '../lock/index.ts';
import type { CacheLock } from '../core/lock.ts';
import { IdbStorage, MemoryStorage, type StoredEntryInfo } from '../storage/index.ts';
import { composedStorage } from '../storage/layered-storage.ts';
import { newSourceId } from '../storage/wrappers/announcing.ts';
import type { ResolvedOptions } from './config.ts';
import type { FeatureParts } from './features.ts';

/** The features that plug into the runtime. */
type RuntimeFeatures = Pick<FeatureParts, 'crossContext' | 'announcements' | 'partialContent'>;

/** How long after a start the eviction state is rebuilt from storage, in ms. */
export const REBUILD_DELAY_MS = 2000;

export class CacheRuntime {
  readonly memory: MemoryStorage;
  readonly idb: IdbStorage;
  readonly storage: Storage;
  readonly eviction: LruEvictionManager;
  readonly lock: CacheLock;
  /** The rebuild of the eviction state, once started (see {@link ready}). */
  #rebuild: Promise<void> | undefined;
  #rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  /** Posts `cleared` to the event listeners, when there are events (see `announcements.ts`). */
  readonly #announceCleared: (() => void) | undefined;
  /** This worker's id in the events (and outcomes) it posts. */
  readonly source = newSourceId();
  readonly #options: ResolvedOptions;
  readonly #log: (message: string, details?: unknown) => void;

  constructor(
    options: ResolvedOptions,
    log: (message: string, details?: unknown) => void,
    { crossContext, announcements, partialContent }: RuntimeFeatures = {},
  ) {
    this.#options = options;
    this.#log = log;
    this.memory = new MemoryStorage(options.memory);
    // With the crossContext() feature, Web Locks and a `<name>:writes` channel let another
    // context (the old and the new worker during an update) follow this worker's IndexedDB
    // writes, and this one theirs; the lock coalesces requests across them.
    const cross = crossContext?.connect({
      name: options.name,
      timeoutMs: options.lockTimeout,
      log,
    });
    this.idb = new IdbStorage({
      name: options.name,
      ...options.storage,
      ...cross?.idb,
      partialContent: partialContent?.idb,
    });
    // Opened now, while the browser dispatches the event that started the worker: the first
    // lookup then does not wait for it. A failure here is the first lookup's to report.
    this.idb.open().catch(() => undefined);
    // Until the browser's estimate arrives, the configured (or fallback) budget applies.
    this.eviction = new LruEvictionManager(resolveBudget(options, undefined));
    // IndexedDB is full: drop the least recently used bodies from disk only. Memory copies free
    // no disk space, so they stay (and stay valid).
    const storage = composedStorage({
      memory: this.memory,
      durable: this.idb,
      makeRoom: (bytes) => this.#evictFromDisk(this.eviction.evictBytes(bytes)),
      log,
    });
    const announced = announcements?.({
      storage,
      memory: this.memory,
      eviction: this.eviction,
      name: options.name,
      source: this.source,
      log,
    });
    this.storage = announced?.storage ?? storage;
    this.#announceCleared = announced?.announceCleared;
    this.lock = cross?.lock ?? new LockTable({ timeoutMs: options.lockTimeout });

    // Not at once: listing every stored entry competes with the first requests after a start
    // (seconds with 10,000 entries). Until then the budget counts only what this worker stores.
    this.#rebuildTimer = setTimeout(() => void this.ready, REBUILD_DELAY_MS);
  }

  /**
   * Settles once the eviction manager knows every stored entry and the budget is applied. The
   * rebuild starts {@link REBUILD_DELAY_MS} after the worker starts, or at the first read of
   * this property (the control API's `stats()` reads it), whichever comes first.
   */
  get ready(): Promise<void> {
    clearTimeout(this.#rebuildTimer);
    return (this.#rebuild ??= this.#rebuildEviction());
  }

  /** Purges evicted keys from storage (announced as `evicted`). */
  async evict(keys: readonly CacheKey[]): Promise<void> {
    for (const key of keys) {
      await this.storage
        .purge(key, 'eviction')
        .catch((error: unknown) => this.#log('eviction purge failed', error));
    }
  }

  async #evictFromDisk(keys: readonly CacheKey[]): Promise<void> {
    for (const key of keys) {
      await this.idb
        .purge(key, 'eviction')
        .catch((error: unknown) => this.#log('disk eviction failed', error));
    }
  }

  /** Empties every layer and tells the other contexts. */
  async clear(): Promise<void> {
    await this.memory.clear();
    await this.idb.clear();
    this.eviction.clear();
    this.#announceCleared?.();
  }

  /** Every complete entry of this cache's namespace, as IndexedDB lists it (no body is read). */
  async listEntries(): Promise<StoredEntryInfo[]> {
    const all = await this.idb.listMeta();
    return all.filter((entry) => entry.key.namespace === this.#options.namespace);
  }

  /** Purges every variant of `url`; resolves with the number of entries removed. */
  async purgeUrl(url: string): Promise<number> {
    const primary = normalizeUrl(url);
    const removed = await this.#purgeMatching((entry) => entry.key.primary === primary);
    // A body only memory holds (its IndexedDB write failed) is not listed: purge the slot too.
    const key = { namespace: this.#options.namespace, primary };
    const memoryOnly = await this.storage.purge(key, 'invalidation');
    this.eviction.remove(key);
    return removed + (memoryOnly ? 1 : 0);
  }

  /** Purges every entry whose URL starts with `prefix` (an absolute URL). */
  purgePrefix(prefix: string): Promise<number> {
    return this.#purgeMatching((entry) => entry.key.primary.startsWith(prefix));
  }

  /** Purges every entry whose response had `tag` in its `Cache-Tag` header. */
  purgeTag(tag: string): Promise<number> {
    return this.#purgeMatching((entry) => entry.meta.tags.includes(tag));
  }

  /** Purges (as invalidation, announced `purged`) the listed entries `matches` selects. */
  async #purgeMatching(matches: (entry: StoredEntryInfo) => boolean): Promise<number> {
    let removed = 0;
    for (const entry of await this.listEntries()) {
      if (!matches(entry)) continue;
      if (await this.storage.purge(entry.key, 'invalidation')) removed++;
      this.eviction.remove(entry.key);
    }
    return removed;
  }

  async #rebuildEviction(): Promise<void> {
    try {
      const estimate =
        this.#options.budget.maxBytes === undefined ? await estimateBudget() : undefined;
      await this.evict(this.eviction.setBudget(resolveBudget(this.#options, estimate)));
      await this.evict(this.eviction.rebuild(await this.idb.listMeta()));
    } catch (error) {
      // The cache still works; only the budget is not enforced for entries stored before now.
      this.#log('could not rebuild the eviction state', error);
    }
  }
}

function resolveBudget(
  options: ResolvedOptions,
  estimated: EvictionBudget | undefined,
): EvictionBudget {
  const fallback = estimated ?? defaultBudget(undefined);
  return {
    maxBytes: options.budget.maxBytes ?? fallback.maxBytes,
    maxEntries: options.budget.maxEntries ?? fallback.maxEntries,
  };
}
