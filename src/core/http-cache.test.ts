/** `HttpCache`: which operation each phase allows, and enabling / disabling a request. */
import { describe, expect, it } from 'vitest';
import { HttpCache } from './http-cache.ts';
import { LockStatus, type WritePermit } from './lock.ts';
import type { CachePhaseName } from './phase.ts';
import { CachePhaseName as Phase, HitStatus, NoCacheReason, PhaseError } from './phase.ts';
import { FakeStorage, testMeta } from './testing/fakes.ts';
import { enterPhase, KEY, sharingLock, type Fixture } from './testing/http-cache-fixture.ts';

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
    const reader = await sharingLock(writer);
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
