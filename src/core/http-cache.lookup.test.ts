/** `HttpCache` from the key to a hit or a miss: key phase, lookup, Vary, the predictor. */
import { describe, expect, it } from 'vitest';
import { HttpCache } from './http-cache.ts';
import { LockStatus } from './lock.ts';
import { HitStatus, NoCacheReason } from './phase.ts';
import { readAll } from './storage.ts';
import { FakeStorage, testKey, testMeta } from './testing/fakes.ts';
import { decode, enterPhase, fixture, KEY, sharingLock } from './testing/http-cache-fixture.ts';

describe('key phase', () => {
  it('bypass leaves the cache off but keeps the key; a cacheable response can still be a miss', async () => {
    const { cache } = await enterPhase('bypass');
    expect(cache.enabled()).toBe(false);
    expect(cache.phase().name).toBe('bypass');
    expect(cache.cacheKey()).toEqual(KEY);
    cache.cacheMiss();
    expect(cache.phase().name).toBe('miss');
  });

  it('sets and reads the max file size, rejecting nonsense', async () => {
    const { cache } = await enterPhase('key');
    expect(cache.maxFileSizeBytes()).toBeUndefined();
    cache.setMaxFileSizeBytes(1024);
    expect(cache.maxFileSizeBytes()).toBe(1024);
    expect(() => cache.setMaxFileSizeBytes(-1)).toThrow(RangeError);
  });

  it('valid-after hides entries stored before it, and never moves backwards', async () => {
    const f = await enterPhase('key');
    f.storage.put(KEY, testMeta({ created: 1_000 }));
    f.cache.setValidAfter(2_000);
    f.cache.setValidAfter(500);
    expect(await f.cache.cacheLookup()).toBeNull();
    expect(() => f.cache.setValidAfter(Number.NaN)).toThrow(RangeError);
    const g = await enterPhase('key');
    g.storage.put(KEY, testMeta({ created: 1_000 }));
    g.cache.setValidAfter(1_000);
    expect(await g.cache.cacheLookup()).not.toBeNull();
  });

  it('purge removes the key from storage and eviction', async () => {
    const f = await enterPhase('key');
    f.storage.put(KEY, testMeta());
    expect(await f.cache.purge()).toBe(true);
    expect(await f.cache.purge()).toBe(false);
    expect(f.storage.purges).toEqual([
      { key: KEY, type: 'invalidation' },
      { key: KEY, type: 'invalidation' },
    ]);
    expect(f.eviction.removed).toEqual([KEY, KEY]);
    expect(f.cache.phase().name).toBe('key');
  });
});

describe('cacheLookup', () => {
  it('finds a stored entry without locking', async () => {
    const f = await enterPhase('key');
    f.storage.put(KEY, testMeta(), 'hello');
    const found = await f.cache.cacheLookup();
    expect(found?.meta.status).toBe(200);
    expect(f.lock.requests).toEqual([]);
  });

  it('takes the write lock when nothing is found; a second request gets a read lock', async () => {
    const writer = await enterPhase('key');
    expect(await writer.cache.cacheLookup()).toBeNull();
    expect(writer.cache.isCacheLockWriter()).toBe(true);
    expect(writer.cache.isCacheLocked()).toBe(false);

    const reader = await sharingLock(writer);
    expect(await reader.cache.cacheLookup()).toBeNull();
    expect(reader.cache.isCacheLocked()).toBe(true);
    expect(reader.cache.isCacheLockWriter()).toBe(false);
  });

  it('works without a lock', async () => {
    const cache = new HttpCache();
    cache.enable({ storage: new FakeStorage() });
    cache.setCacheKey(KEY);
    expect(await cache.cacheLookup()).toBeNull();
    expect(cache.isCacheLockWriter()).toBe(false);
  });

  it('with lockOnMiss: false, a miss takes no lock and refuses a miss until a lookup locks', async () => {
    const f = await enterPhase('key');
    expect(await f.cache.cacheLookup({ lockOnMiss: false })).toBeNull();
    expect(f.lock.requests).toEqual([]);
    expect(f.cache.isCacheLockWriter()).toBe(false);
    expect(f.cache.phase().name).toBe('key');
    expect(() => f.cache.cacheMiss()).toThrow('cacheMiss() after a lookup that did not lock');
    // Lookup, then lock: the lock is taken by a lookup, never apart from one.
    expect(await f.cache.cacheLookup()).toBeNull();
    expect(f.lock.requests).toEqual([KEY]);
    expect(f.cache.isCacheLockWriter()).toBe(true);
    f.cache.cacheMiss();
    expect(f.cache.phase().name).toBe('miss');
  });

  it('with lockOnMiss: false, a request that serves something else is disabled holding no lock', async () => {
    const f = await enterPhase('key');
    expect(await f.cache.cacheLookup({ lockOnMiss: false })).toBeNull();
    f.cache.disable(NoCacheReason.Deferred);
    expect(f.lock.requests).toEqual([]);
    expect(f.cache.phase().name).toBe('disabled');
  });

  it('with lockOnMiss: false, an entry found is returned as usual', async () => {
    const f = await enterPhase('key');
    f.storage.put(KEY, testMeta(), 'hello');
    expect((await f.cache.cacheLookup({ lockOnMiss: false }))?.meta.status).toBe(200);
    expect(f.lock.requests).toEqual([]);
  });

  it('propagates a storage failure', async () => {
    const f = await enterPhase('key');
    f.storage.failing.add('lookup');
    await expect(f.cache.cacheLookup()).rejects.toThrow('lookup failed');
  });
});

describe('valid-after and vary lookup', () => {
  const primaryMeta = testMeta({ created: 2_000, vary: ['accept-encoding'], variance: 'gzip' });

  it('on a matching first hit, keeps the primary key and returns true', async () => {
    const { cache } = await enterPhase('key');
    expect(cache.cacheVaryLookup('gzip', primaryMeta)).toBe(true);
    expect(cache.cacheKey()).toEqual(KEY);
  });

  it('on a mismatch, sets the variance on the key and returns false', async () => {
    const { cache } = await enterPhase('key');
    expect(cache.cacheVaryLookup('br', primaryMeta)).toBe(false);
    expect(cache.cacheKey()).toEqual(testKey(KEY.primary, 'br'));
  });

  it('on a matching secondary lookup, keeps the variance on the key', async () => {
    const { cache } = await enterPhase('key');
    cache.cacheVaryLookup('br', primaryMeta);
    const variantMeta = testMeta({ created: 3_000, variance: 'br' });
    expect(cache.cacheVaryLookup('br', variantMeta)).toBe(true);
    expect(cache.cacheKey()).toEqual(testKey(KEY.primary, 'br'));
  });

  it('ignores a variant created before the primary slot (the tombstone)', async () => {
    const f = await enterPhase('key');
    const variantKey = testKey(KEY.primary, 'br');
    f.storage.put(variantKey, testMeta({ created: 1_500, variance: 'br' }));
    f.cache.cacheVaryLookup('br', primaryMeta);
    expect(await f.cache.cacheLookup()).toBeNull();
    expect(f.storage.hitHandlers[0]?.finishCount).toBe(1);
    // Treated as absent: this request becomes the writer for the variant.
    expect(f.cache.isCacheLockWriter()).toBe(true);
    expect(f.lock.requests).toEqual([variantKey]);
  });

  it('finds a variant created after the primary slot', async () => {
    const f = await enterPhase('key');
    f.storage.put(testKey(KEY.primary, 'br'), testMeta({ created: 2_000, variance: 'br' }));
    f.cache.cacheVaryLookup('br', primaryMeta);
    expect((await f.cache.cacheLookup())?.meta.variance).toBe('br');
  });
});

describe('cacheFound / cacheMiss', () => {
  it('a fresh entry is a hit: no lock, an eviction access with its size', async () => {
    const f = await enterPhase('key');
    f.storage.put(KEY, testMeta({ freshUntil: 99_000 }), 'hello');
    const found = await f.cache.cacheLookup();
    if (found === null) throw new Error('expected an entry');
    await f.cache.cacheFound(found.meta, found.hit, HitStatus.Fresh);
    expect(f.cache.phase().name).toBe('hit');
    expect(f.cache.isCacheLockWriter()).toBe(false);
    expect(f.eviction.accessed).toEqual([{ key: KEY, size: 5, freshUntil: 99_000 }]);
    expect(decode(await readAll(f.cache.hitHandler()))).toBe('hello');
    expect(f.cache.cacheMeta()).toBe(found.meta);
  });

  it.each([HitStatus.Expired, HitStatus.ForceExpired, HitStatus.FailedHitFilter])(
    '%s makes the entry stale and takes the lock (phase set before the lock is awaited)',
    async (status) => {
      const f = await enterPhase('key');
      f.storage.put(KEY, testMeta());
      const found = await f.cache.cacheLookup();
      if (found === null) throw new Error('expected an entry');
      const pending = f.cache.cacheFound(found.meta, found.hit, status);
      expect(f.cache.phase().name).toBe('stale');
      await pending;
      expect(f.cache.isCacheLockWriter()).toBe(true);
    },
  );

  it('a stale writer that finds the entry again keeps its permit instead of waiting on itself', async () => {
    const f = await enterPhase('stale');
    const found = await f.cache.cacheLookup();
    if (found === null) throw new Error('expected an entry');
    await f.cache.cacheFound(found.meta, found.hit, HitStatus.Expired);
    expect(f.lock.requests).toHaveLength(1);
    expect(f.cache.isCacheLockWriter()).toBe(true);
    // The replaced body reader was released.
    expect(f.storage.hitHandlers[0]?.finishCount).toBe(1);
  });

  it('after waiting on a lock, a stale reader may find the refreshed entry fresh', async () => {
    const writer = await enterPhase('stale');
    const reader = fixture();
    reader.lock = writer.lock;
    reader.storage = writer.storage;
    await enterPhase('stale', reader);
    expect(reader.cache.isCacheLocked()).toBe(true);
    const wait = reader.cache.cacheLockWait();
    await writer.cache.revalidateCacheMeta(testMeta({ freshUntil: 99_000 }));
    expect(await wait).toBe(LockStatus.Done);
    const found = await reader.cache.cacheLookup();
    if (found === null) throw new Error('expected an entry');
    await reader.cache.cacheFound(found.meta, found.hit, HitStatus.Fresh);
    expect(reader.cache.phase().name).toBe('hit');
  });

  it('cacheMiss from stale (the entry vanished while waiting)', async () => {
    const { cache } = await enterPhase('stale');
    cache.cacheMiss();
    expect(cache.phase().name).toBe('miss');
  });

  it('finishHitHandler finishes the reader once', async () => {
    const f = await enterPhase('hit');
    await f.cache.finishHitHandler();
    await f.cache.finishHitHandler();
    expect(f.storage.hitHandlers[0]?.finishCount).toBe(1);
    expect(() => f.cache.hitHandler()).toThrow('already finished');
  });
});

describe('predictor hooks', () => {
  it('predict cacheable without a predictor', () => {
    const cache = new HttpCache();
    cache.enable({ storage: new FakeStorage() });
    cache.setCacheKey(KEY);
    expect(cache.cacheablePrediction()).toBe(true);
    cache.responseBecameUncacheable(NoCacheReason.OriginNotCache); // no predictor: no effect
    expect(cache.cacheablePrediction()).toBe(true);
  });

  it('remember an uncacheable URL for the next request, and forget it when cacheable', async () => {
    const first = await enterPhase('key');
    expect(first.cache.cacheablePrediction()).toBe(true);
    first.cache.responseBecameUncacheable(NoCacheReason.OriginNotCache);

    const next = fixture();
    next.predictor = first.predictor;
    await enterPhase('key', next);
    expect(next.cache.cacheablePrediction()).toBe(false);
    next.cache.bypass();
    next.cache.responseBecameCacheable();
    expect(first.predictor.cacheablePrediction(KEY)).toBe(true);
  });

  it('ignore transient reasons', async () => {
    const f = await enterPhase('miss');
    f.cache.responseBecameUncacheable(NoCacheReason.StorageError);
    expect(f.cache.cacheablePrediction()).toBe(true);
  });
});
