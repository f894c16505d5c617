/**
 * What one `HttpCache` keeps about its request while caching is enabled (pingora
 * `HttpCacheInner`): dropped as a whole by `disable()`.
 */
import type { CacheablePredictor } from './predictor.ts';
import type { CacheKey } from './key.ts';
import type { CacheMeta } from './meta.ts';
import type { CacheLock } from './lock.ts';
import type { EvictionManager } from './eviction.ts';
import type { HitHandler, MissHandler, Storage } from './storage.ts';
import { RequestLock } from './request-lock.ts';

export interface HttpCacheOptions {
  readonly storage: Storage;
  /** Without it nothing is ever evicted. */
  readonly eviction?: EvictionManager | undefined;
  /** Predicts uncacheable URLs so the caller can bypass the cache for them. */
  readonly predictor?: CacheablePredictor | undefined;
  /** Coalesces concurrent requests for one key; without it each request fetches on its own. */
  readonly lock?: CacheLock | undefined;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

export interface RequestState {
  readonly storage: Storage;
  readonly eviction: EvictionManager | undefined;
  readonly predictor: CacheablePredictor | undefined;
  readonly clock: () => number;
  key: CacheKey | undefined;
  meta: CacheMeta | undefined;
  /** An entry created before this time (ms) is treated as absent. */
  validAfter: number | undefined;
  maxFileSizeBytes: number | undefined;
  missHandlerRequested: boolean;
  missHandler: MissHandler | undefined;
  bodyReader: HitHandler | undefined;
  /** A lookup found nothing and took no lock: a miss is refused until a lookup that locks. */
  lockDeferred: boolean;
  readonly lock: RequestLock;
}

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`HttpCache: ${what} is not set`);
  return value;
}

export const ignore = (): void => undefined;

export function newRequestState(options: HttpCacheOptions): RequestState {
  return {
    storage: options.storage,
    eviction: options.eviction,
    predictor: options.predictor,
    clock: options.clock ?? Date.now,
    key: undefined,
    meta: undefined,
    validAfter: undefined,
    maxFileSizeBytes: undefined,
    missHandlerRequested: false,
    missHandler: undefined,
    bodyReader: undefined,
    lockDeferred: false,
    lock: new RequestLock(options.lock),
  };
}
