/** `HttpCache` with a stale entry: revalidation, the cache lock, serving stale. */
import { describe, expect, it, vi } from 'vitest';
import { HttpCache } from './http-cache.ts';
import { LockStatus } from './lock.ts';
import type { CachePhaseName } from './phase.ts';
import { HitStatus, NoCacheReason, PhaseError } from './phase.ts';
import { readAll } from './storage.ts';
import { testMeta } from './testing/fakes.ts';
import {
  decode,
  enable,
  enterPhase,
  fixture,
  KEY,
  sharingLock,
  type Fixture,
} from './testing/http-cache-fixture.ts';

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

  it('revalidateUncacheable replaces the headers, records the reason and gives the lock up', async () => {
    const f = await enterPhase('stale');
    f.cache.revalidateUncacheable([['cache-control', 'no-store']], NoCacheReason.OriginNotCache);
    expect(f.cache.phase()).toEqual({
      name: 'revalidated-nocache',
      reason: NoCacheReason.OriginNotCache,
    });
    expect(f.cache.cacheMeta().headers).toEqual([['cache-control', 'no-store']]);
    expect(f.lock.statuses).toEqual([LockStatus.GiveUp]);
  });
});

describe('locks', () => {
  it('cacheLockWait returns the writer status', async () => {
    const writer = await enterPhase('miss');
    const reader = await sharingLock(writer);
    await reader.cache.cacheLookup();
    const wait = reader.cache.cacheLockWait();
    expect(reader.cache.isCacheLocked()).toBe(false); // the read lock was consumed
    writer.cache.disable(NoCacheReason.OriginNotCache);
    expect(await wait).toBe(LockStatus.GiveUp);
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

  // The stale-while-revalidate window itself is decided by canServeStaleWhileRevalidate
  // (request-directives.test.ts), which evaluateReuse applies.
  it('allows stale-if-error inside its window only', async () => {
    const f = await staleWith({ freshUntil: 10_000, staleIfErrorUntil: 30_000 });
    f.clock.now = 29_999;
    expect(f.cache.canServeStaleError()).toBe(true);
    f.clock.now = 30_000; // the window ends exclusively (src/core/http/request-directives.ts)
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
    const strict = await staleWith({
      freshUntil: 10_000,
      staleWhileRevalidateUntil: 20_000,
      staleIfErrorUntil: 30_000,
      mustRevalidate: true,
    });
    strict.clock.now = 12_000;
    expect(strict.cache.canServeStaleError()).toBe(false);
  });

  it('is false outside the stale phases', async () => {
    const { cache, clock } = await enterPhase('hit');
    clock.now = 0;
    expect(cache.canServeStaleError()).toBe(false);
    expect(new HttpCache().canServeStaleError()).toBe(false);
  });
});
