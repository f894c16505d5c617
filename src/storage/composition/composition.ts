/**
 * Two storages as one (hitbox's `CompositionBackend`): L1 is fast and lost when the worker stops
 * (memory), L2 is durable and shared (IndexedDB).
 *
 * - read: L1, then L2 on an L1 miss (`RacingCompositionStorage` asks both at once).
 * - refill `always` (default): an L2 hit is copied into L1 while its reader reads it (the body is
 *   read once; the copy is published only if the reader reads it whole). `never`: no copy.
 * - write `both` (default): a miss is written to both layers at once, and readers in this worker
 *   follow the L1 write (streaming partial write). `l2-only`: L1 is filled by refills only.
 *
 * Failures: an L1 failure never fails an operation; it is reported to `onError` and L1 is
 * skipped. An L2 failure fails lookups, purges and meta updates (a purge that left the durable
 * copy must not look successful), but not a write that L1 still holds (see `FanOutMissHandler`).
 */
import type { CacheKey } from '../../core/key.ts';
import { variantHash } from '../../core/key.ts';
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
  StoredVariant,
} from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { listStoredVariants } from '../../core/stored-variants.ts';
import { toStorageError } from '../errors.ts';
import type { LayerName } from './fanout-miss.ts';
import { FanOutMissHandler } from './fanout-miss.ts';
import { LabeledHitHandler } from './labeled-hit.ts';
import { LayerFallbackHitHandler } from './layer-fallback-hit.ts';
import { RefillHitHandler } from './refill-hit.ts';

export type WritePolicy = 'both' | 'l2-only';
export type RefillPolicy = 'always' | 'never';

export interface CompositionOptions {
  readonly write?: WritePolicy;
  readonly refill?: RefillPolicy;
  /** Label and prefix of hit sources (default `composition`: sources `composition.memory`, ...). */
  readonly label?: string;
  /** Told about every layer failure the composition absorbs (for logs and stats). */
  readonly onError?: (error: unknown, layer: LayerName, operation: string) => void;
}

export class CompositionStorage implements Storage {
  readonly label: string;
  readonly supportsStreamingPartialWrite: boolean;
  readonly l1: Storage;
  readonly l2: Storage;
  readonly write: WritePolicy;
  readonly refill: RefillPolicy;
  readonly #onError: (error: unknown, layer: LayerName, operation: string) => void;

  constructor(l1: Storage, l2: Storage, options: CompositionOptions = {}) {
    this.l1 = l1;
    this.l2 = l2;
    this.label = options.label ?? 'composition';
    this.write = options.write ?? 'both';
    this.refill = options.refill ?? 'always';
    this.#onError = options.onError ?? (() => undefined);
    this.supportsStreamingPartialWrite =
      (this.write === 'both' && l1.supportsStreamingPartialWrite) ||
      l2.supportsStreamingPartialWrite;
  }

  async lookup(key: CacheKey): Promise<LookupResult | null> {
    const r1 = await this.l1Lookup(() => this.l1.lookup(key));
    if (r1 !== null) return this.fromL1(key, r1);
    // A write L1 refused (too large) is followed in L2; it is newer than L2's complete entry.
    const writing = this.#l2WriteInProgress(key);
    if (writing !== null) return writing;
    const r2 = await this.l2.lookup(key);
    return r2 === null ? this.lookL1Again(key) : this.fromL2(key, r2);
  }

  async getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    // L1 first: once L2's write exists it can be followed in this context
    // (`lookupWriteInProgress`), and L2 may take several tasks to start it (registering it for
    // other contexts). A reader arriving meanwhile must find the memory write, which shows every
    // chunk at once, not the L2 one, which shows a chunk only when it is full.
    const l1 =
      this.write === 'both'
        ? await this.l1.getMissHandler(key, meta).catch((e: unknown) => {
            this.#onError(e, 'l1', 'getMissHandler');
            return null;
          })
        : null;
    let l2Error: unknown;
    const l2 = await this.l2.getMissHandler(key, meta).catch((e: unknown) => {
      l2Error = e;
      this.#onError(e, 'l2', 'getMissHandler');
      return null;
    });
    if (l1 === null && l2 === null) throw toStorageError(l2Error, 'starting a write');
    return new FanOutMissHandler(l1, l2, (e, layer) => this.#onError(e, layer, 'write'));
  }

  purge(key: CacheKey, type: PurgeType): Promise<boolean> {
    return this.#both('purge', (layer) => layer.purge(key, type));
  }

  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    return this.#both('updateMeta', (layer) => layer.updateMeta(key, meta));
  }

  /** Records an access in every layer that tracks accesses. */
  touch(key: CacheKey): void {
    for (const layer of [this.l1, this.l2]) layer.touch?.(key);
  }

  /**
   * The variants of `key`'s URL in both layers, each once: memory's copy wins (as its lookup
   * does). A failing memory lists nothing; a failing IndexedDB fails the listing.
   */
  async listVariants(key: CacheKey): Promise<readonly StoredVariant[]> {
    const [r1, r2] = await Promise.allSettled([
      listStoredVariants(this.l1, key),
      listStoredVariants(this.l2, key),
    ]);
    if (r1.status === 'rejected') this.#onError(r1.reason, 'l1', 'listVariants');
    if (r2.status === 'rejected') throw r2.reason;
    const byKey = new Map<string, StoredVariant>();
    for (const variant of [...r2.value, ...(r1.status === 'fulfilled' ? r1.value : [])]) {
      byKey.set(variantHash(variant.key), variant);
    }
    return [...byKey.values()];
  }

  /** The sparse entry of the layer that keeps partial content (see {@link #sparseLayer}). */
  async lookupSparse(key: CacheKey, readFrom?: SparseReadFrom): Promise<SparseLookup | null> {
    const found = (await this.#sparseLayer()?.lookupSparse?.(key, readFrom)) ?? null;
    if (found === null) return null;
    return { ...found, hit: new LabeledHitHandler(found.hit, this.#source(found)) };
  }

  getPieceWriter(key: CacheKey, piece: PieceStart): Promise<PieceWriter> {
    return (
      this.#sparseLayer()?.getPieceWriter?.(key, piece) ??
      Promise.reject(new StorageError(`${this.label} keeps no partial content`))
    );
  }

  /**
   * Partial content lives in one layer, not both: L2 when it keeps it (IndexedDB: shared by the
   * tabs, and media is large), else L1. Pieces are not copied into L1; a sparse entry that
   * completes becomes a complete entry of that layer, which refills L1 as any other.
   */
  #sparseLayer(): Storage | undefined {
    if (this.l2.lookupSparse !== undefined) return this.l2;
    return this.l1.lookupSparse === undefined ? undefined : this.l1;
  }

  /**
   * After both layers missed: L1 once more. A write may have started in this worker while L2 was
   * being read, and its writer may already have released the cache lock (as `Done`, when the
   * write started): a caller that took this miss for the truth would lock the key free of any
   * writer and download it a second time. From this check to the caller's `lock()` there is no
   * task boundary, and a writer registers its L1 write and releases the lock within one task,
   * so the caller sees either the write or the held lock.
   */
  protected async lookL1Again(key: CacheKey): Promise<LookupResult | null> {
    const again = await this.l1Lookup(() => this.l1.lookup(key));
    return again === null ? this.#l2WriteInProgress(key) : this.fromL1(key, again);
  }

  /** L2's write of `key` in progress in this context, followed; `null` when there is none. */
  #l2WriteInProgress(key: CacheKey, start = 0): LookupResult | null {
    const found = this.l2.lookupWriteInProgress?.(key, start) ?? null;
    if (found === null) return null;
    return { meta: found.meta, hit: new LabeledHitHandler(found.hit, this.#source(found)) };
  }

  /** L1 failures are reported and read as a miss. */
  protected async l1Lookup(
    lookup: () => Promise<LookupResult | null>,
  ): Promise<LookupResult | null> {
    try {
      return await lookup();
    } catch (error) {
      this.#onError(error, 'l1', 'lookup');
      return null;
    }
  }

  protected fromL1(key: CacheKey, result: LookupResult): LookupResult {
    // The durable layer keeps recency for eviction even when memory serves the hit.
    this.l2.touch?.(key);
    const hit = new LabeledHitHandler(result.hit, this.#source(result));
    if (result.hit.size !== undefined) return { meta: result.meta, hit };
    // A write in progress: if memory drops it part way (it grew too large), go on in L2.
    const inL2 = (offset: number) => this.#l2WriteInProgress(key, offset)?.hit ?? null;
    return { meta: result.meta, hit: new LayerFallbackHitHandler(hit, inL2) };
  }

  protected async fromL2(
    key: CacheKey,
    result: LookupResult,
    l1Missed = true,
  ): Promise<LookupResult> {
    const source = this.#source(result);
    const complete = result.hit.size !== undefined;
    if (this.refill === 'never' || !l1Missed || !complete) {
      return { meta: result.meta, hit: new LabeledHitHandler(result.hit, source) };
    }
    // A layer without a refill write takes the copy as a miss write.
    const refill = await (
      this.l1.getRefillHandler?.(key, result.meta) ?? this.l1.getMissHandler(key, result.meta)
    ).catch((e: unknown) => {
      this.#onError(e, 'l1', 'refill');
      return null;
    });
    if (refill === null)
      return { meta: result.meta, hit: new LabeledHitHandler(result.hit, source) };
    const onError = (e: unknown) => this.#onError(e, 'l1', 'refill');
    return { meta: result.meta, hit: new RefillHitHandler(result.hit, source, refill, onError) };
  }

  #source(result: Pick<LookupResult, 'hit'>): string {
    return `${this.label}.${result.hit.source}`;
  }

  /** Runs `op` on both layers at once: L1 failures are reported, L2 failures thrown. */
  async #both(operation: string, op: (layer: Storage) => Promise<boolean>): Promise<boolean> {
    const [r1, r2] = await Promise.allSettled([op(this.l1), op(this.l2)]);
    if (r1.status === 'rejected') this.#onError(r1.reason, 'l1', operation);
    if (r2.status === 'rejected') throw r2.reason;
    return (r1.status === 'fulfilled' && r1.value) || r2.value;
  }
}
