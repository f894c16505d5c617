/**
 * A weighted LRU eviction manager (pingora's `lru` manager, with one list): it keeps the size of
 * every stored entry in recency order and names the least recently used ones to evict whenever
 * the byte or the entry budget is exceeded. It never touches storage itself: the caller purges
 * the keys it returns (`HttpCache.finishMissHandler` does, with purge type `eviction`).
 */
import type { EvictionManager } from '../core/eviction.ts';
import type { CacheKey } from '../core/key.ts';
import { keysEqual, variantHash } from '../core/key.ts';

/** How much the cache may hold. */
export interface EvictionBudget {
  /** Most body bytes kept, all entries together. */
  readonly maxBytes: number;
  /** Most entries kept. */
  readonly maxEntries: number;
}

/** An entry as storage lists it after a restart (`IdbStorage.listMeta()` fits). */
export interface StoredEntry {
  readonly key: CacheKey;
  /** Body size in bytes. */
  readonly size: number;
  /** Milliseconds since the epoch of the last hit (or the store). */
  readonly lastAccess: number;
}

export interface EvictionStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly maxEntries: number;
}

interface Tracked {
  readonly key: CacheKey;
  readonly size: number;
}

export class LruEvictionManager implements EvictionManager {
  #budget: EvictionBudget;
  /** Entries by variant hash; `Map` iteration order is recency order, least recent first. */
  #entries = new Map<string, Tracked>();
  #bytes = 0;

  constructor(budget: EvictionBudget) {
    this.#budget = checkedBudget(budget);
  }

  /**
   * Records a stored entry (or its new body) as the most recently used and returns the keys to
   * evict, least recently used first, until both budgets hold. The admitted key is never among
   * them, except when its body alone is larger than `maxBytes`: then it is the only key returned
   * (and forgotten), since keeping it would mean evicting everything else for nothing.
   */
  admit(key: CacheKey, size: number, _freshUntil: number): CacheKey[] {
    checkSize(size);
    const hash = variantHash(key);
    this.#forget(hash);
    if (size > this.#budget.maxBytes) return [key];
    this.#entries.set(hash, { key, size });
    this.#bytes += size;
    return this.#evictOverBudget();
  }

  /**
   * Marks a hit: the entry becomes the most recently used. `false` when the key is unknown
   * (stored by another context, or before {@link rebuild}); unknown keys are not added, since
   * `access` cannot return evictions. The recorded size is kept: a hit may not know it yet.
   */
  access(key: CacheKey, _size: number, _freshUntil: number): boolean {
    const hash = variantHash(key);
    const tracked = this.#entries.get(hash);
    if (tracked === undefined || !keysEqual(tracked.key, key)) return false;
    this.#entries.delete(hash);
    this.#entries.set(hash, tracked);
    return true;
  }

  /** Forgets a key purged by other means (invalidation, clear). */
  remove(key: CacheKey): void {
    const hash = variantHash(key);
    const tracked = this.#entries.get(hash);
    if (tracked !== undefined && keysEqual(tracked.key, key)) this.#forget(hash);
  }

  /** Forgets everything (after the cache was cleared). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /**
   * Loads what storage holds after a worker restart, least recently accessed first (no body is
   * read: sizes come from the meta records). Keys already known are newer than anything stored
   * (admitted or hit since this worker started), so they stay the most recent. Returns the keys to
   * evict if the stored data is over budget. An entry with an invalid size counts as 0 bytes.
   */
  rebuild(entries: Iterable<StoredEntry>): CacheKey[] {
    const stored = [...entries].sort((a, b) => a.lastAccess - b.lastAccess);
    const known = this.#entries;
    this.#entries = new Map();
    this.#bytes = 0;
    for (const { key, size } of stored) {
      const hash = variantHash(key);
      if (known.has(hash)) continue;
      const weight = Number.isFinite(size) && size > 0 ? size : 0;
      this.#forget(hash);
      this.#entries.set(hash, { key, size: weight });
      this.#bytes += weight;
    }
    for (const [hash, tracked] of known) {
      this.#entries.set(hash, tracked);
      this.#bytes += tracked.size;
    }
    return this.#evictOverBudget();
  }

  /**
   * The keys to evict, least recently used first, to free at least `bytes` (everything when less
   * is tracked): for a quota error, where the browser's limit is hit before ours.
   */
  evictBytes(bytes: number): CacheKey[] {
    const evicted: CacheKey[] = [];
    let freed = 0;
    for (const [hash, tracked] of this.#entries) {
      if (freed >= bytes) break;
      this.#forget(hash);
      freed += tracked.size;
      evicted.push(tracked.key);
    }
    return evicted;
  }

  /** Changes the budget (e.g. once the storage estimate is known); returns the keys to evict. */
  setBudget(budget: EvictionBudget): CacheKey[] {
    this.#budget = checkedBudget(budget);
    return this.#evictOverBudget();
  }

  /** Whether the key is tracked. */
  has(key: CacheKey): boolean {
    const tracked = this.#entries.get(variantHash(key));
    return tracked !== undefined && keysEqual(tracked.key, key);
  }

  stats(): EvictionStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.#budget.maxBytes,
      maxEntries: this.#budget.maxEntries,
    };
  }

  /** Evicts least recently used entries until both budgets hold. */
  #evictOverBudget(): CacheKey[] {
    const evicted: CacheKey[] = [];
    const { maxBytes, maxEntries } = this.#budget;
    for (const [hash, tracked] of this.#entries) {
      if (this.#bytes <= maxBytes && this.#entries.size <= maxEntries) break;
      this.#forget(hash);
      evicted.push(tracked.key);
    }
    return evicted;
  }

  #forget(hash: string): void {
    const tracked = this.#entries.get(hash);
    if (tracked === undefined) return;
    this.#entries.delete(hash);
    this.#bytes -= tracked.size;
  }
}

function checkedBudget(budget: EvictionBudget): EvictionBudget {
  const { maxBytes, maxEntries } = budget;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  }
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  return { maxBytes, maxEntries };
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`entry size must be a non-negative integer, got ${size}`);
  }
}
