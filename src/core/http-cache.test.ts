import { describe, expect, it, vi } from 'vitest';
import { HttpCache } from './http-cache.ts';
import type { CacheKey } from './key.ts';
import { LockStatus } from './lock.ts';
import type { WritePermit } from './lock.ts';
import { MaxFileSizeMissHandler, ResponseTooLargeError } from './max-file-size.ts';
import type { HeaderList } from './meta.ts';
import type { CachePhaseName } from './phase.ts';
import { CachePhaseName as Phase, HitStatus, NoCacheReason, PhaseError } from './phase.ts';
import { LruCacheablePredictor } from './predictor.ts';
import { readAll } from './storage.ts';
import {
  FakeStorage,
  ManualClock,
  RecordingCacheLock,
  RecordingEvictionManager,
  testKey,
  testMeta,
} from './testing/fakes.ts';

const KEY = testKey();
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Fixture {
  cache: HttpCache;
  storage: FakeStorage;
  lock: RecordingCacheLock;
  eviction: RecordingEvictionManager;
  predictor: LruCacheablePredictor;
  clock: ManualClock;
}

function fixture(options: { streaming?: boolean } = {}): Fixture {
  return {
    cache: new HttpCache(),
    storage: new FakeStorage(options),
    lock: new RecordingCacheLock(),
    eviction: new RecordingEvictionManager(),
    predictor: new LruCacheablePredictor(),
    clock: new ManualClock(),
  };
}

function enable(f: Fixture): void {
  const { storage, lock, eviction, predictor, clock } = f;
  f.cache.enable({ storage, lock, eviction, predictor, clock: clock.read });
}

/** Brings a fresh cache to `phase` through valid transitions only. */
async function enterPhase(phase: CachePhaseName, f = fixture()): Promise<Fixture> {
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

const ALL = Object.values(Phase);
const ENABLED = ALL.filter((p) => p !== 'disabled');
const KEYED = ENABLED.filter((p) => p !== 'uninitialized');
const WITH_META: CachePhaseName[] = [
  'hit',
  'stale',
  'stale-updating',
  'expired',
  'revalidated',
  'revalidated-nocache',
];
const WITH_HIT = WITH_META.filter((p) => p !== 'expired');
const ADMITTING: CachePhaseName[] = ['miss', 'expired'];

interface Operation {
  readonly name: keyof HttpCache;
  readonly allowed: readonly CachePhaseName[];
  readonly async?: boolean;
  readonly run: (f: Fixture) => unknown;
  /** The phase after a successful call; unchanged when absent. */
  readonly next?: (from: CachePhaseName) => CachePhaseName;
}

const permit: WritePermit = { kind: 'write', release: () => undefined };

const OPERATIONS: Operation[] = [
  {
    name: 'enable',
    allowed: ['disabled'],
    run: (f) => f.cache.enable({ storage: f.storage }),
    next: () => 'uninitialized',
  },
  {
    name: 'disable',
    allowed: ALL,
    run: (f) => f.cache.disable(NoCacheReason.InternalError),
    next: () => 'disabled',
  },
  { name: 'bypass', allowed: ['key'], run: (f) => f.cache.bypass(), next: () => 'bypass' },
  {
    name: 'setCacheKey',
    allowed: ['uninitialized', 'key'],
    run: (f) => f.cache.setCacheKey(KEY),
    next: () => 'key',
  },
  { name: 'cacheKey', allowed: KEYED, run: (f) => f.cache.cacheKey() },
  { name: 'maxFileSizeBytes', allowed: KEYED, run: (f) => f.cache.maxFileSizeBytes() },
  { name: 'setMaxFileSizeBytes', allowed: ENABLED, run: (f) => f.cache.setMaxFileSizeBytes(9) },
  {
    name: 'setValidAfter',
    allowed: ['uninitialized', 'key'],
    run: (f) => f.cache.setValidAfter(5),
  },
  {
    name: 'cacheLookup',
    allowed: ['key', 'stale'],
    async: true,
    run: (f) => f.cache.cacheLookup(),
  },
  {
    name: 'cacheFound',
    allowed: ['key', 'stale'],
    async: true,
    run: (f) => {
      f.storage.put(KEY, testMeta());
      return f.storage.lookup(KEY).then((found) => {
        if (found === null) throw new Error('not stored');
        return f.cache.cacheFound(found.meta, found.hit, HitStatus.Expired);
      });
    },
    next: () => 'stale',
  },
  {
    name: 'cacheMiss',
    allowed: ['key', 'bypass', 'stale'],
    run: (f) => f.cache.cacheMiss(),
    next: () => 'miss',
  },
  { name: 'hitHandler', allowed: WITH_HIT, run: (f) => f.cache.hitHandler() },
  { name: 'missBodyReader', allowed: ALL, run: (f) => f.cache.missBodyReader() },
  {
    name: 'finishHitHandler',
    allowed: [...WITH_HIT, ...ADMITTING],
    async: true,
    run: (f) => f.cache.finishHitHandler(),
  },
  { name: 'setMissHandler', allowed: ADMITTING, async: true, run: (f) => f.cache.setMissHandler() },
  { name: 'missHandler', allowed: ADMITTING, run: (f) => f.cache.missHandler() },
  {
    name: 'finishMissHandler',
    allowed: ADMITTING,
    async: true,
    run: (f) => f.cache.finishMissHandler(),
  },
  {
    name: 'setCacheMeta',
    allowed: ['stale', 'miss'],
    run: (f) => f.cache.setCacheMeta(testMeta()),
    next: (from) => (from === 'stale' ? 'expired' : from),
  },
  {
    name: 'revalidateCacheMeta',
    allowed: ['stale'],
    async: true,
    run: (f) => f.cache.revalidateCacheMeta(testMeta()),
    next: () => 'revalidated',
  },
  {
    name: 'revalidateMergeHeader',
    allowed: ['stale'],
    run: (f) => f.cache.revalidateMergeHeader((stored) => stored),
  },
  {
    name: 'revalidateUncacheable',
    allowed: ['stale'],
    run: (f) => f.cache.revalidateUncacheable([], NoCacheReason.OriginNotCache),
    next: () => 'revalidated-nocache',
  },
  {
    name: 'setStaleUpdating',
    allowed: ['stale'],
    run: (f) => f.cache.setStaleUpdating(),
    next: () => 'stale-updating',
  },
  { name: 'updateVariance', allowed: ADMITTING, run: (f) => f.cache.updateVariance('v') },
  { name: 'cacheMeta', allowed: WITH_META, run: (f) => f.cache.cacheMeta() },
  { name: 'maybeCacheMeta', allowed: ['miss', ...WITH_META], run: (f) => f.cache.maybeCacheMeta() },
  {
    name: 'cacheVaryLookup',
    allowed: ['key'],
    run: (f) => f.cache.cacheVaryLookup('v', testMeta()),
  },
  { name: 'isCacheLocked', allowed: ENABLED, run: (f) => f.cache.isCacheLocked() },
  { name: 'isCacheLockWriter', allowed: ENABLED, run: (f) => f.cache.isCacheLockWriter() },
  { name: 'takeWriteLock', allowed: ENABLED, run: (f) => f.cache.takeWriteLock() },
  { name: 'setWriteLock', allowed: ENABLED, run: (f) => f.cache.setWriteLock(permit) },
  { name: 'canServeStaleError', allowed: ALL, run: (f) => f.cache.canServeStaleError() },
  { name: 'canServeStaleUpdating', allowed: ALL, run: (f) => f.cache.canServeStaleUpdating() },
  { name: 'cacheLockWait', allowed: ENABLED, async: true, run: (f) => f.cache.cacheLockWait() },
  { name: 'purge', allowed: ['key'], async: true, run: (f) => f.cache.purge() },
  { name: 'cacheablePrediction', allowed: KEYED, run: (f) => f.cache.cacheablePrediction() },
  {
    name: 'responseBecameCacheable',
    allowed: KEYED,
    run: (f) => f.cache.responseBecameCacheable(),
  },
  {
    name: 'responseBecameUncacheable',
    allowed: KEYED,
    run: (f) => f.cache.responseBecameUncacheable(NoCacheReason.OriginNotCache),
  },
  { name: 'phase', allowed: ALL, run: (f) => f.cache.phase() },
  { name: 'enabled', allowed: ALL, run: (f) => f.cache.enabled() },
  { name: 'bypassing', allowed: ALL, run: (f) => f.cache.bypassing() },
  { name: 'upstreamUsed', allowed: ALL, run: (f) => f.cache.upstreamUsed() },
  { name: 'lockDuration', allowed: ALL, run: (f) => f.cache.lockDuration() },
  { name: 'lookupDuration', allowed: ALL, run: (f) => f.cache.lookupDuration() },
];

/** Runs `op`, returning its error (a sync throw or a rejection) or `undefined`. */
async function outcome(op: Operation, f: Fixture): Promise<unknown> {
  try {
    await op.run(f);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('HttpCache phase rules', () => {
  it('covers every public method in the table', () => {
    const methods = Object.getOwnPropertyNames(HttpCache.prototype).filter(
      (name) => name !== 'constructor',
    );
    expect(OPERATIONS.map((op) => op.name).sort()).toEqual(methods.sort());
  });

  const valid = OPERATIONS.flatMap((op) =>
    op.allowed.map((phase) => [op.name, phase, op] as const),
  );
  it.each(valid)('%s is allowed in phase %s', async (_name, phase, op) => {
    const f = await enterPhase(phase);
    const error = await outcome(op, f);
    // A valid phase may still hit a usage check (no lock, no meta), but never a PhaseError.
    expect(error).not.toBeInstanceOf(PhaseError);
    if (error === undefined) expect(f.cache.phase().name).toBe(op.next?.(phase) ?? phase);
  });

  const invalid = OPERATIONS.flatMap((op) =>
    ALL.filter((phase) => !op.allowed.includes(phase)).map(
      (phase) => [op.name, phase, op] as const,
    ),
  );
  it.each(invalid)('%s throws PhaseError in phase %s', async (name, phase, op) => {
    const f = await enterPhase(phase);
    if (op.async === true) {
      // Async transitions reject (the check runs when called, before any await).
      let result: unknown;
      expect(() => {
        result = op.run(f);
      }).not.toThrow();
      await expect(result).rejects.toThrow(PhaseError);
    } else {
      expect(() => op.run(f)).toThrow(PhaseError);
    }
    const error = await outcome(op, f);
    expect(error).toBeInstanceOf(PhaseError);
    expect((error as PhaseError).message).toContain(`"${phase}"`);
    expect((error as PhaseError).message).toContain(`${name}()`);
    expect(f.cache.phase().name).toBe(phase);
  });
});

describe('enable / disable', () => {
  it('starts disabled with NeverEnabled', () => {
    const cache = new HttpCache();
    expect(cache.phase()).toEqual({ name: 'disabled', reason: NoCacheReason.NeverEnabled });
    expect(cache.enabled()).toBe(false);
  });

  it('replaces the reason when disabled again, and can be enabled again', () => {
    const cache = new HttpCache();
    cache.disable(NoCacheReason.Deferred);
    expect(cache.phase()).toEqual({ name: 'disabled', reason: NoCacheReason.Deferred });
    cache.enable({ storage: new FakeStorage() });
    expect(cache.phase().name).toBe('uninitialized');
  });

  it.each([
    [NoCacheReason.InternalError, LockStatus.TransientError],
    [NoCacheReason.StorageError, LockStatus.TransientError],
    [NoCacheReason.Deferred, LockStatus.TransientError],
    [NoCacheReason.OriginNotCache, LockStatus.GiveUp],
    [NoCacheReason.ResponseTooLarge, LockStatus.GiveUp],
    ['Custom:nope' as const, LockStatus.GiveUp],
  ])('disable(%s) releases a held write lock as %s', async (reason, status) => {
    const f = await enterPhase('miss');
    expect(f.cache.isCacheLockWriter()).toBe(true);
    f.cache.disable(reason);
    expect(f.lock.releases).toEqual([{ key: KEY, status }]);
    expect(f.cache.phase()).toEqual({ name: 'disabled', reason });
  });

  it.each([
    NoCacheReason.NeverEnabled,
    NoCacheReason.CacheLockGiveUp,
    NoCacheReason.CacheLockTimeout,
  ])(
    'disable(%s) while holding the write lock is a programming error and changes nothing',
    async (reason) => {
      const f = await enterPhase('miss');
      expect(() => f.cache.disable(reason)).toThrow(Error);
      expect(f.lock.releases).toEqual([]);
      expect(f.cache.phase().name).toBe('miss');
      expect(f.cache.isCacheLockWriter()).toBe(true);
    },
  );

  it('lets a lock reader disable with a reader reason, releasing nothing', async () => {
    const writer = await enterPhase('miss');
    const reader = fixture();
    reader.lock = writer.lock;
    await enterPhase('key', reader);
    await reader.cache.cacheLookup();
    expect(reader.cache.isCacheLocked()).toBe(true);
    reader.cache.disable(NoCacheReason.CacheLockTimeout);
    expect(writer.lock.releases).toEqual([]);
    expect(writer.cache.isCacheLockWriter()).toBe(true);
  });

  it('aborts a write in progress', async () => {
    const f = await enterPhase('miss');
    f.cache.setCacheMeta(testMeta());
    await f.cache.setMissHandler();
    f.cache.disable(NoCacheReason.StorageError);
    await Promise.resolve();
    expect(f.storage.missHandlers[0]?.abortCount).toBe(1);
    expect(f.lock.statuses).toEqual([LockStatus.TransientError]);
  });

  it('releases a lock granted after the request was disabled', async () => {
    const f = await enterPhase('key');
    const lookup = f.cache.cacheLookup();
    f.cache.disable(NoCacheReason.InternalError);
    await lookup;
    expect(f.lock.statuses).toEqual([LockStatus.TransientError]);
    expect(f.lock.isHeld(KEY)).toBe(false);
  });
});

describe('key phase', () => {
  it('bypass leaves the cache off but keeps the key; a cacheable response can still be a miss', async () => {
    const { cache } = await enterPhase('bypass');
    expect(cache.enabled()).toBe(false);
    expect(cache.bypassing()).toBe(true);
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

    const reader = fixture();
    reader.lock = writer.lock;
    await enterPhase('key', reader);
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

  it('adds up the lookup time on the clock', async () => {
    const f = await enterPhase('key');
    vi.spyOn(f.storage, 'lookup').mockImplementation(() => {
      f.clock.advance(7);
      return Promise.resolve(null);
    });
    await f.cache.cacheLookup();
    await f.cache.cacheLookup();
    expect(f.cache.lookupDuration()).toBe(14);
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
    expect(f.cache.upstreamUsed()).toBe(false);
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
    expect(cache.upstreamUsed()).toBe(true);
  });

  it('finishHitHandler finishes the reader once', async () => {
    const f = await enterPhase('hit');
    await f.cache.finishHitHandler();
    await f.cache.finishHitHandler();
    expect(f.storage.hitHandlers[0]?.finishCount).toBe(1);
    expect(() => f.cache.hitHandler()).toThrow('already finished');
  });
});

describe('storing a miss', () => {
  async function missWithMeta(f = fixture()): Promise<Fixture> {
    await enterPhase('miss', f);
    f.cache.setCacheMeta(testMeta({ freshUntil: 70_000 }));
    return f;
  }

  it('needs the meta first, and only once', async () => {
    const f = await enterPhase('miss');
    await expect(f.cache.setMissHandler()).rejects.toThrow('setCacheMeta');
    f.cache.setCacheMeta(testMeta());
    await f.cache.setMissHandler();
    await expect(f.cache.setMissHandler()).rejects.toThrow('already');
  });

  it('without streaming: keeps the lock until finished, then releases Done and admits', async () => {
    const f = await missWithMeta();
    await f.cache.setMissHandler();
    expect(f.cache.isCacheLockWriter()).toBe(true);
    expect(f.cache.missBodyReader()).toBeUndefined();
    await f.cache.missHandler()?.write(text('abc'));
    await f.cache.finishMissHandler();
    expect(f.lock.releases).toEqual([{ key: KEY, status: LockStatus.Done }]);
    expect(f.eviction.admitted).toEqual([{ key: KEY, size: 3, freshUntil: 70_000 }]);
    expect(f.storage.stored(KEY)?.body).toBe('abc');
    expect(f.cache.missHandler()).toBeUndefined();
    await f.cache.finishMissHandler(); // again: nothing happens
    expect(f.eviction.admitted).toHaveLength(1);
  });

  it('purges what eviction evicts, with purge type eviction, ignoring purge failures', async () => {
    const f = await missWithMeta();
    const victims: CacheKey[] = [
      testKey('https://example.test/old1'),
      testKey('https://example.test/old2'),
    ];
    f.eviction.toEvict = victims;
    f.storage.failing.add('purge');
    await f.cache.setMissHandler();
    await f.cache.finishMissHandler();
    expect(f.storage.purges).toEqual(victims.map((key) => ({ key, type: 'eviction' })));
  });

  it('keeps the lock when the storage finish fails, so disable can release it', async () => {
    const f = await missWithMeta();
    await f.cache.setMissHandler();
    const handler = f.storage.missHandlers[0];
    await handler?.abort();
    await expect(f.cache.finishMissHandler()).rejects.toThrow();
    expect(f.lock.releases).toEqual([]);
    f.cache.disable(NoCacheReason.StorageError);
    expect(f.lock.statuses).toEqual([LockStatus.TransientError]);
  });

  it('with streaming partial writes: releases the lock at once and reads its own write', async () => {
    const f = await missWithMeta(fixture({ streaming: true }));
    await f.cache.setMissHandler();
    expect(f.lock.statuses).toEqual([LockStatus.Done]);
    const handler = f.cache.missHandler();
    expect(f.storage.streamingLookups).toEqual([{ key: KEY, tag: handler?.streamingWriteTag }]);
    const reader = f.cache.missBodyReader();
    expect(reader).toBeDefined();
    expect(f.cache.cacheMeta().freshUntil).toBe(70_000); // a miss with a body reader has meta
    const body = readAll(reader!);
    await handler?.write(text('str'));
    await handler?.write(text('eam'));
    await f.cache.finishMissHandler();
    expect(decode(await body)).toBe('stream');
    expect(f.lock.statuses).toEqual([LockStatus.Done]); // not released twice
  });

  it('with a max file size: wraps the handler; too large → ResponseTooLarge, GiveUp, aborted write', async () => {
    const f = await enterPhase('miss');
    f.cache.setMaxFileSizeBytes(4);
    f.cache.setCacheMeta(testMeta());
    await f.cache.setMissHandler();
    const handler = f.cache.missHandler();
    expect(handler).toBeInstanceOf(MaxFileSizeMissHandler);
    await handler?.write(text('1234'));
    const error = await handler?.write(text('5')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    f.cache.disable((error as ResponseTooLargeError).reason);
    await Promise.resolve();
    expect(f.lock.statuses).toEqual([LockStatus.GiveUp]);
    expect(f.storage.missHandlers[0]?.abortCount).toBe(1);
    expect(f.storage.stored(KEY)).toBeUndefined();
  });

  it('rejects when storage cannot start the write', async () => {
    const f = await missWithMeta();
    f.storage.failing.add('getMissHandler');
    await expect(f.cache.setMissHandler()).rejects.toThrow('getMissHandler failed');
  });

  it('replacing an expired entry: the stale body is released, the new one stored', async () => {
    const f = await enterPhase('expired', fixture({ streaming: true }));
    await f.cache.setMissHandler();
    expect(f.storage.hitHandlers[0]?.finishCount).toBe(1);
    await f.cache.missHandler()?.write(text('new'));
    await f.cache.finishMissHandler();
    expect(f.storage.stored(KEY)).toEqual({ meta: testMeta({ created: 5_000 }), body: 'new' });
  });
});

describe('updateVariance', () => {
  it('sets or removes the variance in the meta of a miss', async () => {
    const f = await enterPhase('miss');
    f.cache.setCacheMeta(testMeta());
    f.cache.updateVariance('gzip');
    expect(f.cache.cacheMeta.bind(f.cache)).toThrow(PhaseError); // no body reader yet
    expect(f.cache.maybeCacheMeta()?.variance).toBe('gzip');
    f.cache.updateVariance(undefined);
    expect(f.cache.maybeCacheMeta()).not.toHaveProperty('variance');
    expect(f.cache.cacheKey()).toEqual(KEY);
    expect(f.lock.releases).toEqual([]);
  });

  async function secondaryMiss(): Promise<Fixture> {
    const f = await enterPhase('key');
    f.cache.cacheVaryLookup('br', testMeta({ variance: 'gzip' }));
    await f.cache.cacheLookup(); // locks the secondary key
    f.cache.cacheMiss();
    f.cache.setCacheMeta(testMeta());
    return f;
  }

  it('keeps the secondary key and its lock when the variance did not change', async () => {
    const f = await secondaryMiss();
    f.cache.updateVariance('br');
    expect(f.cache.cacheKey()).toEqual(testKey(KEY.primary, 'br'));
    expect(f.cache.isCacheLockWriter()).toBe(true);
  });

  it.each([['deflate'], [undefined]])(
    'a changed variance (%s) releases the secondary lock as Done and moves to the primary slot',
    async (variance) => {
      const f = await secondaryMiss();
      f.cache.updateVariance(variance);
      expect(f.lock.releases).toEqual([
        { key: testKey(KEY.primary, 'br'), status: LockStatus.Done },
      ]);
      expect(f.cache.cacheKey()).toEqual({ namespace: KEY.namespace, primary: KEY.primary });
      expect(f.cache.isCacheLockWriter()).toBe(false);
    },
  );
});

describe('revalidation', () => {
  it('revalidateCacheMeta keeps created, updates storage, then releases Done', async () => {
    const f = await enterPhase('stale');
    let releasesDuringUpdate = -1;
    const update = f.storage.updateMeta.bind(f.storage);
    vi.spyOn(f.storage, 'updateMeta').mockImplementation((key, meta) => {
      releasesDuringUpdate = f.lock.releases.length;
      return update(key, meta);
    });
    const pending = f.cache.revalidateCacheMeta(testMeta({ created: 9_000, updated: 9_000 }));
    expect(f.cache.phase().name).toBe('revalidated'); // synchronously
    expect(await pending).toBe(true);
    expect(releasesDuringUpdate).toBe(0);
    expect(f.lock.statuses).toEqual([LockStatus.Done]);
    expect(f.cache.cacheMeta()).toMatchObject({ created: 1_000, updated: 9_000 });
    expect(f.storage.stored(KEY)?.meta).toMatchObject({ created: 1_000, updated: 9_000 });
    expect(decode(await readAll(f.cache.hitHandler()))).toBe('stored body');
  });

  it('revalidateCacheMeta keeps the lock when storage fails, so disable can release it', async () => {
    const f = await enterPhase('stale');
    f.storage.failing.add('updateMeta');
    await expect(f.cache.revalidateCacheMeta(testMeta())).rejects.toThrow('updateMeta failed');
    expect(f.cache.isCacheLockWriter()).toBe(true);
    f.cache.disable(NoCacheReason.StorageError);
    expect(f.lock.statuses).toEqual([LockStatus.TransientError]);
  });

  it('revalidateMergeHeader hands the stored headers to the merge and changes nothing', async () => {
    const { cache } = await enterPhase('stale');
    const merged: HeaderList = [['etag', '"2"']];
    const seen: HeaderList[] = [];
    expect(cache.revalidateMergeHeader((stored) => (seen.push(stored), merged))).toBe(merged);
    expect(seen).toEqual([testMeta().headers]);
    expect(cache.revalidateMergeHeader(merged)).toBe(merged);
    expect(cache.cacheMeta().headers).toEqual(testMeta().headers);
    expect(cache.phase().name).toBe('stale');
  });

  it('revalidateUncacheable replaces the headers, records the reason and gives the lock up', async () => {
    const f = await enterPhase('stale');
    f.cache.revalidateUncacheable([['cache-control', 'no-store']], NoCacheReason.OriginNotCache);
    expect(f.cache.phase()).toEqual({
      name: 'revalidated-nocache',
      reason: NoCacheReason.OriginNotCache,
    });
    expect(f.cache.cacheMeta().headers).toEqual([['cache-control', 'no-store']]);
    expect(f.lock.statuses).toEqual([LockStatus.GiveUp]);
    expect(f.cache.upstreamUsed()).toBe(true);
  });
});

describe('locks', () => {
  it('cacheLockWait returns the writer status and adds up the wait on the clock', async () => {
    const writer = await enterPhase('miss');
    const reader = fixture();
    reader.lock = writer.lock;
    reader.clock = writer.clock;
    await enterPhase('key', reader);
    await reader.cache.cacheLookup();
    const wait = reader.cache.cacheLockWait();
    expect(reader.cache.isCacheLocked()).toBe(false); // the read lock was consumed
    writer.clock.advance(25);
    writer.cache.disable(NoCacheReason.OriginNotCache);
    expect(await wait).toBe(LockStatus.GiveUp);
    expect(reader.cache.lockDuration()).toBe(25);
  });

  it('cacheLockWait without a read lock is a usage error', async () => {
    const f = await enterPhase('miss');
    await expect(f.cache.cacheLockWait()).rejects.toThrow('without a read lock');
  });

  it('hands the write permit from one request to another', async () => {
    const from = await enterPhase('miss');
    const to = await enterPhase('hit');
    const permit = from.cache.takeWriteLock();
    expect(from.cache.isCacheLockWriter()).toBe(false);
    to.cache.setWriteLock(permit);
    expect(to.cache.isCacheLockWriter()).toBe(true);
    from.cache.disable(NoCacheReason.OriginNotCache);
    expect(from.lock.releases).toEqual([]);
    expect(() => from.cache.takeWriteLock()).toThrow(PhaseError);
  });

  it('takeWriteLock without a write lock is a usage error', async () => {
    const { cache } = await enterPhase('hit');
    expect(() => cache.takeWriteLock()).toThrow('without a write lock');
  });

  it('setWriteLock over a different held permit releases the old one as Dangling', async () => {
    const f = await enterPhase('miss');
    const release = vi.fn();
    f.cache.setWriteLock({ kind: 'write', release });
    expect(f.lock.statuses).toEqual([LockStatus.Dangling]);
    f.cache.disable(NoCacheReason.Deferred);
    expect(release).toHaveBeenCalledWith(LockStatus.TransientError);
  });
});

describe('serving stale', () => {
  async function staleWith(
    meta: Partial<Parameters<typeof testMeta>[0]>,
    phase: CachePhaseName = 'stale',
  ): Promise<Fixture> {
    const f = fixture();
    enable(f);
    f.cache.setCacheKey(KEY);
    f.storage.put(KEY, testMeta(meta));
    const found = await f.cache.cacheLookup();
    if (found === null) throw new Error('expected an entry');
    await f.cache.cacheFound(found.meta, found.hit, HitStatus.Expired);
    if (phase === 'stale-updating') f.cache.setStaleUpdating();
    return f;
  }

  it('allows stale-if-error and stale-while-revalidate inside their windows only', async () => {
    const f = await staleWith({
      freshUntil: 10_000,
      staleWhileRevalidateUntil: 20_000,
      staleIfErrorUntil: 30_000,
    });
    f.clock.now = 19_999;
    expect(f.cache.canServeStaleUpdating()).toBe(true);
    expect(f.cache.canServeStaleError()).toBe(true);
    f.clock.now = 20_000; // windows end exclusively (src/core/http/request-directives.ts)
    expect(f.cache.canServeStaleUpdating()).toBe(false);
    expect(f.cache.canServeStaleError()).toBe(true);
    f.clock.now = 30_000;
    expect(f.cache.canServeStaleError()).toBe(false);
  });

  it('also applies in stale-updating', async () => {
    const f = await staleWith({ freshUntil: 10_000, staleIfErrorUntil: 30_000 }, 'stale-updating');
    f.clock.now = 15_000;
    expect(f.cache.canServeStaleError()).toBe(true);
  });

  it('never serves stale without the directives or with must-revalidate', async () => {
    const none = await staleWith({
      freshUntil: 10_000,
      staleWhileRevalidateUntil: 10_000,
      staleIfErrorUntil: 0,
    });
    none.clock.now = 10_000;
    expect(none.cache.canServeStaleError()).toBe(false);
    expect(none.cache.canServeStaleUpdating()).toBe(false);
    const strict = await staleWith({
      freshUntil: 10_000,
      staleWhileRevalidateUntil: 20_000,
      staleIfErrorUntil: 30_000,
      mustRevalidate: true,
    });
    strict.clock.now = 12_000;
    expect(strict.cache.canServeStaleError()).toBe(false);
    expect(strict.cache.canServeStaleUpdating()).toBe(false);
  });

  it('is false outside the stale phases', async () => {
    const { cache, clock } = await enterPhase('hit');
    clock.now = 0;
    expect(cache.canServeStaleError()).toBe(false);
    expect(new HttpCache().canServeStaleUpdating()).toBe(false);
  });
});

describe('upstreamUsed', () => {
  const expected: Record<CachePhaseName, boolean> = {
    disabled: true,
    uninitialized: false,
    bypass: true,
    key: false,
    hit: false,
    miss: true,
    stale: false,
    'stale-updating': false,
    expired: true,
    revalidated: true,
    'revalidated-nocache': true,
  };
  it.each(ALL)('in phase %s', async (phase) => {
    const { cache } = await enterPhase(phase);
    expect(cache.upstreamUsed()).toBe(expected[phase]);
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
