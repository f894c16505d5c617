import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheKey } from '../core/key.ts';
import type { Locked, ReadLock, WritePermit } from '../core/lock.ts';
import { LockStatus } from '../core/lock.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, LockTable, type TablePermit } from './lock-table.ts';
import { flush, peek, useLockTimers } from './testing/flush.ts';

const key: CacheKey = { namespace: 'test', primary: 'https://example.test/a' };
const other: CacheKey = { namespace: 'test', primary: 'https://example.test/b' };

function asWrite(locked: Locked): TablePermit {
  if (locked.kind !== 'write') throw new Error('expected the write permit');
  return locked as TablePermit;
}

function asRead(locked: Locked): ReadLock {
  if (locked.kind !== 'read') throw new Error('expected a read lock');
  return locked;
}

beforeEach(useLockTimers);
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('LockTable', () => {
  it('gives the write permit to the first caller and read locks to the others', async () => {
    const table = new LockTable();
    const first = await table.lock(key);
    const second = await table.lock(key);
    const third = await table.lock(key);
    expect([first.kind, second.kind, third.kind]).toEqual(['write', 'read', 'read']);
    const otherWriter = asWrite(await table.lock(other));
    expect((await table.lock(other)).kind).toBe('read');
    asWrite(first).release(LockStatus.Done);
    otherWriter.release(LockStatus.Done);
  });

  it('keeps variants of one URL apart', async () => {
    const table = new LockTable();
    const gzip = asWrite(await table.lock({ ...key, variance: 'gzip' }));
    const br = asWrite(await table.lock({ ...key, variance: 'br' }));
    gzip.release(LockStatus.Done);
    br.release(LockStatus.Done);
    expect(table.size).toBe(0);
  });

  it.each([LockStatus.Done, LockStatus.TransientError, LockStatus.GiveUp, LockStatus.Dangling])(
    'wakes every reader with %s',
    async (status) => {
      const table = new LockTable();
      const writer = asWrite(await table.lock(key));
      const readers = await Promise.all([table.lock(key), table.lock(key), table.lock(key)]);
      const waits = readers.map((reader) => asRead(reader).wait());
      expect(await peek(waits[0]!)).toBe('pending');
      writer.release(status);
      expect(await Promise.all(waits)).toEqual([status, status, status]);
      // A reader that waits only after the release still learns the outcome.
      expect(await asRead(readers[0]).wait()).toBe(status);
    },
  );

  it('frees the key on release: the next caller writes', async () => {
    const table = new LockTable();
    asWrite(await table.lock(key)).release(LockStatus.Done);
    expect(table.size).toBe(0);
    asWrite(await table.lock(key)).release(LockStatus.Done);
  });

  it('elects one new writer among readers that compete again after TransientError', async () => {
    const table = new LockTable();
    const writer = asWrite(await table.lock(key));
    const readers = await Promise.all([1, 2, 3].map(() => table.lock(key)));
    writer.release(LockStatus.TransientError);
    const again = await Promise.all(
      readers.map(async (reader) => {
        expect(await asRead(reader).wait()).toBe(LockStatus.TransientError);
        return table.lock(key);
      }),
    );
    expect(again.map((locked) => locked.kind).sort()).toEqual(['read', 'read', 'write']);
    again.filter((locked) => locked.kind === 'write').forEach((w) => w.release(LockStatus.Done));
  });

  it('ignores a second release, even once another writer holds the key', async () => {
    const table = new LockTable();
    const first = asWrite(await table.lock(key));
    const reader = asRead(await table.lock(key));
    first.release(LockStatus.GiveUp);
    first.release(LockStatus.Done);
    expect(await reader.wait()).toBe(LockStatus.GiveUp);

    const second = asWrite(await table.lock(key));
    const secondReader = asRead(await table.lock(key));
    first.release(LockStatus.Done);
    expect(await peek(secondReader.wait())).toBe('pending');
    second.release(LockStatus.Done);
    expect(await secondReader.wait()).toBe(LockStatus.Done);
  });

  it('refuses to release with Waiting', async () => {
    const table = new LockTable();
    const writer = asWrite(await table.lock(key));
    expect(() => writer.release(LockStatus.Waiting)).toThrow(RangeError);
    writer.release(LockStatus.Done);
  });

  it('times readers out when the writer keeps the key past the timeout', async () => {
    const table = new LockTable({ timeoutMs: 1_000 });
    const writer = asWrite(await table.lock(key));
    const wait = asRead(await table.lock(key)).wait();
    await vi.advanceTimersByTimeAsync(999);
    expect(await peek(wait)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await wait).toBe(LockStatus.Timeout);
    expect(writer.expired.aborted).toBe(true);
  });

  it('counts the timeout from the grant: late readers wait only for what is left', async () => {
    const table = new LockTable({ timeoutMs: 1_000 });
    const writer = asWrite(await table.lock(key));
    await vi.advanceTimersByTimeAsync(600);
    const late = asRead(await table.lock(key)).wait();
    await vi.advanceTimersByTimeAsync(400);
    expect(await late).toBe(LockStatus.Timeout);
    writer.release(LockStatus.Done);
  });

  it('elects a new writer after a timeout, and ignores the old writer’s late release', async () => {
    const table = new LockTable({ timeoutMs: 1_000 });
    const stuck = asWrite(await table.lock(key));
    await vi.advanceTimersByTimeAsync(1_000);
    const next = asWrite(await table.lock(key));
    const reader = asRead(await table.lock(key)).wait();
    stuck.release(LockStatus.GiveUp);
    expect(await peek(reader)).toBe('pending');
    next.release(LockStatus.Done);
    expect(await reader).toBe(LockStatus.Done);
  });

  it('uses a 10 s timeout by default and rejects a nonsensical one', async () => {
    expect(new LockTable().timeoutMs).toBe(DEFAULT_LOCK_TIMEOUT_MS);
    expect(DEFAULT_LOCK_TIMEOUT_MS).toBe(10_000);
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new LockTable({ timeoutMs })).toThrow(RangeError);
    }
    const table = new LockTable();
    asWrite(await table.lock(key));
    await vi.advanceTimersByTimeAsync(DEFAULT_LOCK_TIMEOUT_MS);
    expect(table.size).toBe(0);
  });

  it('clears its timer when the writer releases', async () => {
    const table = new LockTable();
    const writer = asWrite(await table.lock(key));
    const waits = [asRead(await table.lock(key)).wait(), asRead(await table.lock(key)).wait()];
    expect(vi.getTimerCount()).toBe(1); // one per key, not one per reader
    writer.release(LockStatus.Done);
    await Promise.all(waits);
    expect(vi.getTimerCount()).toBe(0);
  });

  describe('a permit whose writer ends without releasing', () => {
    it('wakes the readers with Dangling on dispose()', async () => {
      const table = new LockTable();
      const writer = asWrite(await table.lock(key));
      const wait = asRead(await table.lock(key)).wait();
      writer.dispose();
      expect(await wait).toBe(LockStatus.Dangling);
      asWrite(await table.lock(key)).release(LockStatus.Done);
    });

    it('keeps the release status when disposed after releasing', async () => {
      const table = new LockTable();
      const writer = asWrite(await table.lock(key));
      const wait = asRead(await table.lock(key)).wait();
      writer.release(LockStatus.Done);
      writer.dispose();
      expect(await wait).toBe(LockStatus.Done);
    });

    it('lets the permit holder wait on its own permit like a reader', async () => {
      const table = new LockTable();
      const writer = asWrite(await table.lock(key));
      const wait = writer.reader().wait();
      writer.release(LockStatus.TransientError);
      expect(await wait).toBe(LockStatus.TransientError);
    });
  });
});

/** Garbage collection on demand, when V8 lets us turn it on (it does under Node). */
async function collectGarbage(): Promise<boolean> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') return false;
  (gc as () => void)();
  return true;
}

describe('LockTable with a dropped permit', () => {
  it('wakes the readers with Dangling once the permit is garbage-collected', async () => {
    vi.useRealTimers();
    const table = new LockTable({ timeoutMs: 60_000 });
    const wait = (() => {
      table.lockNow(key); // the write permit, dropped on the floor
      return asRead(table.lockNow(key)).wait();
    })();
    let status: LockStatus | 'pending' = 'pending';
    for (let attempt = 0; attempt < 20 && status === 'pending'; attempt++) {
      expect(await collectGarbage()).toBe(true);
      await flush();
      status = await peek(wait);
    }
    expect(status).toBe(LockStatus.Dangling);
    useLockTimers(); // for the afterEach timer check
  });
});

// Type-level: the permit is a WritePermit for HttpCache.
export type _PermitFits = TablePermit extends WritePermit ? true : never;
