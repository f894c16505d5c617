/**
 * The one base of storage wrappers (decorators such as `QuotaRetryStorage` and
 * `AnnouncingStorage`): every member of `Storage`, the optional capabilities included, is
 * forwarded to the wrapped storage, so a wrapper overrides only what it changes. A wrapper that
 * dropped a capability would silently cost readers: without `lookupWriteInProgress`, a reader in
 * this worker downloads a body the worker is already storing.
 */
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type {
  LookupResult,
  MissHandler,
  PieceStart,
  PieceWriter,
  PurgeType,
  SparseLookup,
  SparseReadFrom,
  Storage,
  StorageCapabilities,
  StoredVariant,
} from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { listStoredVariants } from '../../core/stored-variants.ts';

export abstract class ForwardingStorage implements Storage, StorageCapabilities {
  readonly label: string;
  readonly supportsStreamingPartialWrite: boolean;
  protected readonly inner: Storage;

  constructor(inner: Storage) {
    this.inner = inner;
    this.label = inner.label;
    this.supportsStreamingPartialWrite = inner.supportsStreamingPartialWrite;
  }

  lookup(key: CacheKey): Promise<LookupResult | null> {
    return this.inner.lookup(key);
  }

  getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    return this.inner.getMissHandler(key, meta);
  }

  purge(key: CacheKey, type: PurgeType): Promise<boolean> {
    return this.inner.purge(key, type);
  }

  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    return this.inner.updateMeta(key, meta);
  }

  /**
   * The inner storage's refill write; without one, a miss write through this wrapper (what the
   * composition would start on a layer that has no refill write).
   */
  getRefillHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    return this.inner.getRefillHandler?.(key, meta) ?? this.getMissHandler(key, meta);
  }

  /** The inner storage's write in progress in this context; `null` when it has no such writes. */
  lookupWriteInProgress(key: CacheKey, start?: number): LookupResult | null {
    return this.inner.lookupWriteInProgress?.(key, start) ?? null;
  }

  /** Records the access in the inner storage when it keeps recency. */
  touch(key: CacheKey): void {
    this.inner.touch?.(key);
  }

  /** The inner storage's list of a URL's variants; without one, its primary slot. */
  listVariants(key: CacheKey): Promise<readonly StoredVariant[]> {
    return listStoredVariants(this.inner, key);
  }

  /** The inner storage's sparse entry; `null` when it keeps no partial content. */
  async lookupSparse(key: CacheKey, readFrom?: SparseReadFrom): Promise<SparseLookup | null> {
    return (await this.inner.lookupSparse?.(key, readFrom)) ?? null;
  }

  /** The inner storage's piece writer; rejects when it keeps no partial content. */
  getPieceWriter(key: CacheKey, piece: PieceStart): Promise<PieceWriter> {
    return (
      this.inner.getPieceWriter?.(key, piece) ??
      Promise.reject(new StorageError(`${this.label} keeps no partial content`))
    );
  }
}
