/**
 * The cacheability predictor (pingora `CacheablePredictor`): remembers URLs whose responses came
 * back uncacheable, so the next request for them can bypass the cache (no lock, no storage
 * lookup) and go straight to the network.
 */
import type { CacheKey } from './key.ts';
import { primaryHash } from './key.ts';
import { NoCacheReason } from './phase.ts';

export interface CacheablePredictor {
  /**
   * `false` when the key's URL recently came back uncacheable. Only the primary key counts: the
   * prediction is made before the lookup, when the variance is not known yet.
   */
  cacheablePrediction(key: CacheKey): boolean;
  /**
   * Forgets an uncacheable mark after a cacheable response. Returns `true` when the key was not
   * marked (the prediction was already right), `false` when a mark was removed.
   */
  markCacheable(key: CacheKey): boolean;
  /**
   * Marks the key uncacheable if `reason` says the origin will answer the same way next time.
   * Returns `true` when a new mark was recorded, `false` when the reason is not remembered or the
   * key was already marked.
   */
  markUncacheable(key: CacheKey, reason: NoCacheReason): boolean;
}

export interface LruCacheablePredictorOptions {
  /** How many uncacheable URLs to remember; the least recently marked are forgotten first. */
  readonly capacity?: number;
  /** Custom reasons (the part after `Custom:`) for which the key should not be remembered. */
  readonly skipCustomReason?: (reason: string) => boolean;
}

export const DEFAULT_PREDICTOR_CAPACITY = 10_000;

/** Reasons that say nothing about the next response for the key: the failure was ours, or transient. */
const TRANSIENT_REASONS: ReadonlySet<NoCacheReason> = new Set([
  NoCacheReason.NeverEnabled,
  NoCacheReason.StorageError,
  NoCacheReason.InternalError,
  NoCacheReason.Deferred,
  // A lock reader's reasons: the writer marks the key itself when the origin refused caching.
  NoCacheReason.CacheLockGiveUp,
  NoCacheReason.CacheLockTimeout,
]);

const CUSTOM_PREFIX = 'Custom:';

/** A {@link CacheablePredictor} that keeps a bounded LRU set of primary-key hashes. */
export class LruCacheablePredictor implements CacheablePredictor {
  readonly capacity: number;
  readonly #skipCustomReason: ((reason: string) => boolean) | undefined;
  /** Hashes of uncacheable primary keys; `Map` iteration order is the recency order. */
  readonly #uncacheable = new Map<string, true>();

  constructor(options: LruCacheablePredictorOptions = {}) {
    const capacity = options.capacity ?? DEFAULT_PREDICTOR_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`predictor capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#skipCustomReason = options.skipCustomReason;
  }

  /** How many keys are currently marked uncacheable. */
  get size(): number {
    return this.#uncacheable.size;
  }

  cacheablePrediction(key: CacheKey): boolean {
    // No recency update here: the caller always reports the outcome later through mark*().
    return !this.#uncacheable.has(primaryHash(key));
  }

  markCacheable(key: CacheKey): boolean {
    return !this.#uncacheable.delete(primaryHash(key));
  }

  markUncacheable(key: CacheKey, reason: NoCacheReason): boolean {
    if (!this.#remembers(reason)) return false;
    const hash = primaryHash(key);
    const known = this.#uncacheable.delete(hash);
    this.#uncacheable.set(hash, true);
    if (this.#uncacheable.size > this.capacity) {
      const oldest = this.#uncacheable.keys().next();
      if (oldest.done !== true) this.#uncacheable.delete(oldest.value);
    }
    return !known;
  }

  #remembers(reason: NoCacheReason): boolean {
    if (TRANSIENT_REASONS.has(reason)) return false;
    if (reason.startsWith(CUSTOM_PREFIX)) {
      return this.#skipCustomReason?.(reason.slice(CUSTOM_PREFIX.length)) !== true;
    }
    return true; // OriginNotCache, ResponseTooLarge
  }
}
