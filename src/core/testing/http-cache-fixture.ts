/** One `HttpCache` with recording fakes, and a way to bring it to any phase (the http-cache tests). */
import { HttpCache } from '../http-cache.ts';
import type { CachePhaseName } from '../phase.ts';
import { HitStatus, NoCacheReason } from '../phase.ts';
import { LruCacheablePredictor } from '../predictor.ts';
import {
  FakeStorage,
  ManualClock,
  RecordingCacheLock,
  RecordingEvictionManager,
  testKey,
  testMeta,
} from './fakes.ts';

export const KEY = testKey();
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

export interface Fixture {
  cache: HttpCache;
  storage: FakeStorage;
  lock: RecordingCacheLock;
  eviction: RecordingEvictionManager;
  predictor: LruCacheablePredictor;
  clock: ManualClock;
}

export function fixture(options: { streaming?: boolean } = {}): Fixture {
  return {
    cache: new HttpCache(),
    storage: new FakeStorage(options),
    lock: new RecordingCacheLock(),
    eviction: new RecordingEvictionManager(),
    predictor: new LruCacheablePredictor(),
    clock: new ManualClock(),
  };
}

export function enable(f: Fixture): void {
  const { storage, lock, eviction, predictor, clock } = f;
  f.cache.enable({ storage, lock, eviction, predictor, clock: clock.read });
}

/** Brings a fresh cache to `phase` through valid transitions only. */
export async function enterPhase(phase: CachePhaseName, f = fixture()): Promise<Fixture> {
  const { cache, storage } = f;
  if (phase === 'disabled') return f;
  enable(f);
  if (phase === 'uninitialized') return f;
  cache.setCacheKey(KEY);
  if (phase === 'key') return f;
  if (phase === 'bypass') {
    cache.bypass();
    return f;
  }
  if (phase === 'miss') {
    await cache.cacheLookup(); // nothing stored: takes the write lock
    cache.cacheMiss();
    return f;
  }
  storage.put(KEY, testMeta(), 'stored body');
  const found = await cache.cacheLookup();
  if (found === null) throw new Error('fixture entry not found');
  await cache.cacheFound(
    found.meta,
    found.hit,
    phase === 'hit' ? HitStatus.Fresh : HitStatus.Expired,
  );
  if (phase === 'stale-updating') cache.setStaleUpdating();
  if (phase === 'expired') cache.setCacheMeta(testMeta({ created: 5_000 }));
  if (phase === 'revalidated') await cache.revalidateCacheMeta(testMeta({ created: 5_000 }));
  if (phase === 'revalidated-nocache') {
    cache.revalidateUncacheable([['x', '1']], NoCacheReason.OriginNotCache);
  }
  return f;
}

/** A second cache sharing `writer`'s lock, brought to the `key` phase: its lookup competes. */
export async function sharingLock(writer: Fixture): Promise<Fixture> {
  const reader = fixture();
  reader.lock = writer.lock;
  return enterPhase('key', reader);
}
