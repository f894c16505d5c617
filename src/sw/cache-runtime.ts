/// <reference lib="webworker" />
/**
 * The worker's cache, assembled: memory (L1) over IndexedDB (L2, with quota retry), events on a
 * BroadcastChannel, byte-budget eviction rebuilt from the stored metas, and the cache lock.
 */
import { normalizeUrl, type CacheKey } from '../core/key.ts';
import { eventChannelName } from '../protocol/events.ts';
import {
  defaultBudget,
  estimateBudget,
  LruEvictionManager,
  type EvictionBudget,
} from '../eviction/index.ts';
import { createCacheLock } from '../lock/index.ts';
import type { CacheLock } from '../core/lock.ts';
import {
  crossContextWrites,
  IdbStorage,
  MemoryStorage,
  type StoredEntryInfo,
} from '../storage/index.ts';
import { layeredStorage } from '../storage/layered-storage.ts';
import {
  type AnnouncingStorage,
  dropLocalCopies,
  listenForEvictions,
  newSourceId,
} from '../storage/wrappers/announcing.ts';
import type { ResolvedOptions } from './config.ts';

/** How long after a start the eviction state is rebuilt from storage, in ms. */
export const REBUILD_DELAY_MS = 2000;

export class CacheRuntime {
  readonly memory: MemoryStorage;
  readonly idb: IdbStorage;
  readonly storage: AnnouncingStorage;
  readonly eviction: LruEvictionManager;
  readonly lock: CacheLock;
  /** The rebuild of the eviction state, once started (see {@link ready}). */
  #rebuild: Promise<void> | undefined;
  #rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel: BroadcastChannel;
  /** This worker's id in the events (and outcomes) it posts. */
  readonly source = newSourceId();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly log: (message: string, details?: unknown) => void,
  ) {
    this.memory = new MemoryStorage(options.memory);
    // Web Locks and a `<name>:writes` channel let another context (a second worker, the old and
    // the new worker during an update) follow this worker's IndexedDB writes, and this one theirs.
    this.idb = new IdbStorage({
      name: options.name,
      ...options.storage,
      ...crossContextWrites(options.name),
    });
    // Opened now, while the browser dispatches the event that started the worker: the first
    // lookup then does not wait for it. A failure here is the first lookup's to report.
    this.idb.open().catch(() => undefined);
    this.channel = new BroadcastChannel(eventChannelName(options.name));
    // Until the browser's estimate arrives, the configured (or fallback) budget applies.
    this.eviction = new LruEvictionManager(resolveBudget(options, undefined));
    const source = this.source;
    // IndexedDB is full: drop the least recently used bodies from disk only. Memory copies free
    // no disk space, so they stay (and stay valid).
    this.storage = layeredStorage({
      memory: this.memory,
      durable: this.idb,
      makeRoom: (bytes) => this.evictFromDisk(this.eviction.evictBytes(bytes)),
      channel: this.channel,
      source,
      log,
    });
    this.lock = createCacheLock({ name: options.name, timeoutMs: options.lockTimeout, log });

    // Another context evicted or purged: drop our memory copies and forget the keys.
    const dropCopies = dropLocalCopies(this.memory, (error) =>
      log('could not drop a memory copy', error),
    );
    listenForEvictions(this.channel, source, (event) => {
      dropCopies(event);
      if (event.type === 'cleared') this.eviction.clear();
      else if (event.type === 'evicted' || event.type === 'purged') {
        for (const key of event.keys) this.eviction.remove(key);
      }
    });
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
    return (this.#rebuild ??= this.rebuild());
  }

  /** Purges evicted keys from storage (announced as `evicted`). */
  async evict(keys: readonly CacheKey[]): Promise<void> {
    for (const key of keys) {
      await this.storage
        .purge(key, 'eviction')
        .catch((error: unknown) => this.log('eviction purge failed', error));
    }
  }

  private async evictFromDisk(keys: readonly CacheKey[]): Promise<void> {
    for (const key of keys) {
      await this.idb
        .purge(key, 'eviction')
        .catch((error: unknown) => this.log('disk eviction failed', error));
    }
  }

  /** Empties every layer and tells the other contexts. */
  async clear(): Promise<void> {
    await this.memory.clear();
    await this.idb.clear();
    this.eviction.clear();
    this.storage.announce('cleared', []);
  }

  /** Every complete entry of this cache's namespace, as IndexedDB lists it (no body is read). */
  async listEntries(): Promise<StoredEntryInfo[]> {
    const all = await this.idb.listMeta();
    return all.filter((entry) => entry.key.namespace === this.options.namespace);
  }

  /** Purges every variant of `url`; resolves with the number of entries removed. */
  async purgeUrl(url: string): Promise<number> {
    const primary = normalizeUrl(url);
    const removed = await this.purgeMatching((entry) => entry.key.primary === primary);
    // A body only memory holds (its IndexedDB write failed) is not listed: purge the slot too.
    const key = { namespace: this.options.namespace, primary };
    const memoryOnly = await this.storage.purge(key, 'invalidation');
    this.eviction.remove(key);
    return removed + (memoryOnly ? 1 : 0);
  }

  /** Purges every entry whose URL starts with `prefix` (an absolute URL). */
  purgePrefix(prefix: string): Promise<number> {
    return this.purgeMatching((entry) => entry.key.primary.startsWith(prefix));
  }

  /** Purges every entry whose response had `tag` in its `Cache-Tag` header. */
  purgeTag(tag: string): Promise<number> {
    return this.purgeMatching((entry) => entry.meta.tags.includes(tag));
  }

  /** Purges (as invalidation, announced `purged`) the listed entries `matches` selects. */
  private async purgeMatching(matches: (entry: StoredEntryInfo) => boolean): Promise<number> {
    let removed = 0;
    for (const entry of await this.listEntries()) {
      if (!matches(entry)) continue;
      if (await this.storage.purge(entry.key, 'invalidation')) removed++;
      this.eviction.remove(entry.key);
    }
    return removed;
  }

  private async rebuild(): Promise<void> {
    try {
      const estimate =
        this.options.budget.maxBytes === undefined ? await estimateBudget() : undefined;
      await this.evict(this.eviction.setBudget(resolveBudget(this.options, estimate)));
      await this.evict(this.eviction.rebuild(await this.idb.listMeta()));
    } catch (error) {
      // The cache still works; only the budget is not enforced for entries stored before now.
      this.log('could not rebuild the eviction state', error);
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
