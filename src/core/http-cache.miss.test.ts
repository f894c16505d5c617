/** `HttpCache` storing a response from the origin: the miss handler and the variance. */
import { describe, expect, it } from 'vitest';
import type { CacheKey } from './key.ts';
import { LockStatus } from './lock.ts';
import { MaxFileSizeMissHandler, ResponseTooLargeError } from './max-file-size.ts';
import { NoCacheReason, PhaseError } from './phase.ts';
import { testKey, testMeta } from './testing/fakes.ts';
import { enterPhase, fixture, KEY, text, type Fixture } from './testing/http-cache-fixture.ts';

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
    const { evicting } = await f.cache.finishMissHandler();
    await expect(evicting).resolves.toBeUndefined();
    expect(f.storage.purges).toEqual(victims.map((key) => ({ key, type: 'eviction' })));
  });

  it('resolves once stored, before the evicted entries are purged', async () => {
    const f = await missWithMeta();
    f.eviction.toEvict = [testKey('https://example.test/old')];
    let purged!: () => void;
    const purge = f.storage.purge.bind(f.storage);
    f.storage.purge = async (key, type) => {
      await new Promise<void>((resolve) => (purged = resolve));
      return purge(key, type);
    };
    await f.cache.setMissHandler();
    await f.cache.missHandler()?.write(text('abc'));
    const { evicting } = await f.cache.finishMissHandler();
    expect(f.storage.stored(KEY)?.body).toBe('abc');
    expect(f.lock.releases).toEqual([{ key: KEY, status: LockStatus.Done }]);
    expect(f.storage.purges).toEqual([]);
    let settled = false;
    void evicting.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    purged();
    await evicting;
    expect(f.storage.purges).toEqual([
      { key: testKey('https://example.test/old'), type: 'eviction' },
    ]);
  });

  it('has nothing evicting when eviction gives nothing back', async () => {
    const f = await missWithMeta();
    await f.cache.setMissHandler();
    const { evicting } = await f.cache.finishMissHandler();
    await expect(evicting).resolves.toBeUndefined();
    expect(f.storage.purges).toEqual([]);
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

  it('with streaming partial writes: releases the lock at once and opens no reader of its own write', async () => {
    const f = await missWithMeta(fixture({ streaming: true }));
    await f.cache.setMissHandler();
    expect(f.lock.statuses).toEqual([LockStatus.Done]);
    // The page reads the body from the network: nothing reads this request's own write back.
    expect(f.storage.hitHandlers).toEqual([]);
    const handler = f.cache.missHandler();
    await handler?.write(text('str'));
    await handler?.write(text('eam'));
    await f.cache.finishMissHandler();
    expect(f.storage.stored(KEY)?.body).toBe('stream');
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
  it.each([
    ['gzip', 'gzip'],
    [undefined, undefined],
  ])('sets (%s) or removes the variance in the meta of a miss', async (variance, stored) => {
    const f = await enterPhase('miss');
    f.cache.setCacheMeta(testMeta({ variance: 'br' }));
    f.cache.updateVariance(variance);
    expect(f.cache.cacheMeta.bind(f.cache)).toThrow(PhaseError); // a miss has no stored entry to read
    expect(f.cache.cacheKey()).toEqual(KEY);
    expect(f.lock.releases).toEqual([]);
    await f.cache.setMissHandler();
    await f.cache.finishMissHandler();
    expect(f.storage.stored(KEY)?.meta.variance).toBe(stored);
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
