/**
 * The in-memory storage (L1): an LRU of complete entries bounded in entries and bytes, plus the
 * writes in progress, which readers in this context can follow chunk by chunk (streaming partial
 * write). Everything is lost when the worker stops; the composition puts IndexedDB behind it.
 */
import type { CacheKey } from '../../core/key.ts';
import { keysEqual, sameUrl, variantHash } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import { declaredLength } from '../../core/meta.ts';
import type {
  LookupResult,
  MissHandler,
  PurgeType,
  Storage,
  StoredVariant,
} from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { ChunkedBody } from './chunked-body.ts';
import { MemoryHitHandler } from './memory-hit.ts';
import { MemoryMissHandler } from './memory-miss.ts';

export interface MemoryStorageOptions {
  /** Most complete entries kept (default 1000). */
  readonly maxEntries?: number;
  /** Most body bytes held, complete entries and writes in progress together (default 32 MiB). */
  readonly maxBytes?: number;
  /**
   * Largest single body (default a quarter of `maxBytes`), so one video cannot flush everything
   * else. A write with a larger `Content-Length` is refused up front; a write that grows past it
   * is aborted (its followers get an error, never a short body).
   */
  readonly maxBodyBytes?: number;
  /** Label for `Cache-Status` and stats (default `memory`). */
  readonly label?: string;
}

interface MemoryEntry {
  readonly key: CacheKey;
  readonly meta: CacheMeta;
  readonly body: ChunkedBody;
}

export class MemoryStorage implements Storage {
  readonly label: string;
  readonly supportsStreamingPartialWrite = true;
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly maxBodyBytes: number;

  /** Complete entries by variant hash; `Map` order is recency order (oldest first). */
  readonly #entries = new Map<string, MemoryEntry>();
  /** Writes in progress by variant hash, oldest first. */
  readonly #writes = new Map<string, MemoryEntry[]>();
  /** Writes in progress that lookups do not follow (refills). */
  readonly #hiddenWrites = new Set<MemoryEntry>();
  #entryBytes = 0;
  #writeBytes = 0;

  constructor(options: MemoryStorageOptions = {}) {
    this.label = options.label ?? 'memory';
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? Math.floor(this.maxBytes / 4);
  }

  /** Number of complete entries. */
  get entryCount(): number {
    return this.#entries.size;
  }

  /** Body bytes held: complete entries plus writes in progress. */
  get byteSize(): number {
    return this.#entryBytes + this.#writeBytes;
  }

  lookup(key: CacheKey): Promise<LookupResult | null> {
    const hash = variantHash(key);
    // A write in progress wins over the complete entry it will replace (as pingora does): it is
    // the newer response, and readers follow it as it lands.
    const writing = this.#writes.get(hash)?.findLast((w) => keysEqual(w.key, key));
    if (writing !== undefined) return Promise.resolve(this.#hit(writing));
    const entry = this.#entries.get(hash);
    if (entry === undefined || !keysEqual(entry.key, key)) return Promise.resolve(null);
    this.#entries.delete(hash);
    this.#entries.set(hash, entry);
    return Promise.resolve(this.#hit(entry));
  }

  getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    return this.#startWrite(key, meta, true);
  }

  /**
   * A write that lookups do not see until it finishes: for copying an entry in from a slower
   * layer (the composition's refill), which its reader may abandon half way.
   */
  getRefillHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    return this.#startWrite(key, meta, false);
  }

  /**
   * Removes the complete entry and hides the writes in progress of `key`: those still finish for
   * the readers already following them, but are not published.
   */
  purge(key: CacheKey, _type: PurgeType): Promise<boolean> {
    const hash = variantHash(key);
    let removed = this.#removeEntry(hash, key);
    const writes = this.#writes.get(hash) ?? [];
    const kept = writes.filter((w) => !keysEqual(w.key, key));
    if (kept.length !== writes.length) {
      removed = true;
      this.#setWrites(hash, kept);
    }
    for (const write of this.#hiddenWrites) {
      if (keysEqual(write.key, key)) this.#hiddenWrites.delete(write);
    }
    return Promise.resolve(removed);
  }

  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    const hash = variantHash(key);
    const entry = this.#entries.get(hash);
    if (entry === undefined || !keysEqual(entry.key, key)) return Promise.resolve(false);
    this.#entries.set(hash, { ...entry, meta });
    return Promise.resolve(true);
  }

  /**
   * The complete entries of `key`'s URL, without touching their recency. A walk over every
   * entry (at most `maxEntries`): it runs on a vary-miss, which then asks the origin anyway.
   */
  listVariants(key: CacheKey): Promise<readonly StoredVariant[]> {
    const listed: StoredVariant[] = [];
    for (const entry of this.#entries.values()) {
      if (sameUrl(entry.key, key)) listed.push({ key: entry.key, meta: entry.meta });
    }
    return Promise.resolve(listed);
  }

  /** Drops every complete entry and hides every write in progress (as {@link purge} does). */
  clear(): Promise<void> {
    this.#entries.clear();
    this.#entryBytes = 0;
    this.#writes.clear();
    this.#hiddenWrites.clear();
    return Promise.resolve();
  }

  #startWrite(key: CacheKey, meta: CacheMeta, followable: boolean): Promise<MissHandler> {
    const declared = declaredLength(meta);
    if (declared !== undefined && declared > this.maxBodyBytes) {
      return Promise.reject(
        new StorageError(
          `a ${declared}-byte body exceeds the memory limit of ${this.maxBodyBytes}`,
        ),
      );
    }
    const hash = variantHash(key);
    const write: MemoryEntry = { key, meta, body: new ChunkedBody() };
    if (followable) this.#writes.set(hash, [...(this.#writes.get(hash) ?? []), write]);
    else this.#hiddenWrites.add(write);
    return Promise.resolve(
      new MemoryMissHandler(write.body, {
        reserve: (bytes) => this.#reserve(write, bytes),
        published: () => this.#publish(hash, write),
        discarded: () => this.#forgetWrite(hash, write),
      }),
    );
  }

  #hit(entry: MemoryEntry): LookupResult {
    return { meta: entry.meta, hit: new MemoryHitHandler(entry.body, this.label) };
  }

  #reserve(write: MemoryEntry, bytes: number): void {
    if (write.body.size + bytes > this.maxBodyBytes) {
      throw new StorageError(`the body exceeds the memory limit of ${this.maxBodyBytes} bytes`);
    }
    this.#writeBytes += bytes;
    this.#evictToBudget();
  }

  #publish(hash: string, write: MemoryEntry): void {
    if (!this.#forgetWrite(hash, write)) return; // purged while it was written
    // Replaces the previous entry of the hash, even one of a colliding key.
    const previous = this.#entries.get(hash);
    if (previous !== undefined) {
      this.#entries.delete(hash);
      this.#entryBytes -= previous.body.size;
    }
    this.#entries.set(hash, write);
    this.#entryBytes += write.body.size;
    this.#evictToBudget();
  }

  /** Stops accounting for a write; `false` when it was purged meanwhile. */
  #forgetWrite(hash: string, write: MemoryEntry): boolean {
    this.#writeBytes -= write.body.size;
    if (this.#hiddenWrites.delete(write)) return true;
    const writes = this.#writes.get(hash) ?? [];
    const kept = writes.filter((w) => w !== write);
    this.#setWrites(hash, kept);
    return kept.length !== writes.length;
  }

  #setWrites(hash: string, writes: MemoryEntry[]): void {
    if (writes.length === 0) this.#writes.delete(hash);
    else this.#writes.set(hash, writes);
  }

  #removeEntry(hash: string, key: CacheKey): boolean {
    const entry = this.#entries.get(hash);
    if (entry === undefined || !keysEqual(entry.key, key)) return false;
    this.#entries.delete(hash);
    this.#entryBytes -= entry.body.size;
    return true;
  }

  /** Evicts least recently used complete entries; readers holding one keep reading it. */
  #evictToBudget(): void {
    for (const [hash, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.byteSize <= this.maxBytes) return;
      this.#entries.delete(hash);
      this.#entryBytes -= entry.body.size;
    }
  }
}
