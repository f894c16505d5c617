import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheKey } from '../core/key.ts';
import { variantHash } from '../core/key.ts';
import type { Locked, LockStatus as Status, ReadLock, WritePermit } from '../core/lock.ts';
import { LockStatus } from '../core/lock.ts';
import { FakeChannelHub } from './testing/fake-channel.ts';
import { FakeLockManager, type FakeLockContext } from './testing/fake-lock-manager.ts';
import { flush, peek, useLockTimers } from './testing/flush.ts';
import { DEFAULT_LOCK_TIMEOUT_MS } from './lock-table.ts';
import { CrossContextLock, type CrossContextLockOptions } from './web-locks.ts';
import { RemoteWakeHolds } from '../core/remote-wake-holds.ts';

const key: CacheKey = { namespace: 'test', primary: 'https://example.test/a' };
const lockName = `sw-http-cache:${variantHash(key)}`;
const GRACE_MS = 50;

function asWrite(locked: Locked): WritePermit & { dispose(): void } {
  if (locked.kind !== 'write') throw new Error('expected the write permit');
  return locked as WritePermit & { dispose(): void };
}

function asRead(locked: Locked): ReadLock {
  if (locked.kind !== 'read') throw new Error('expected a read lock');
  return locked;
}

interface Context {
  readonly lock: CrossContextLock;
  readonly locks: FakeLockContext;
}

/** Two or more contexts of one origin: one lock manager, one broadcast channel name. */
function origin(options: Partial<CrossContextLockOptions> = {}) {
  const manager = new FakeLockManager();
  const hub = new FakeChannelHub();
  const opened: CrossContextLock[] = [];
  const context = (extra: Partial<CrossContextLockOptions> = {}): Context => {
    const locks = manager.context();
    const lock = new CrossContextLock({
      locks,
      channel: hub.channel(),
      statusGraceMs: GRACE_MS,
      ...options,
      ...extra,
    });
    opened.push(lock);
    return { lock, locks };
  };
  const closeAll = () => opened.forEach((lock) => lock.close());
  return { manager, hub, context, closeAll };
}

let cleanup: () => void = () => undefined;

beforeEach(useLockTimers);
afterEach(async () => {
  cleanup();
  await flush();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

/** Contexts `a` and `b` of one origin (closed after the test), `a` holding the write permit. */
async function aWrites(
  aOptions: Partial<CrossContextLockOptions> = {},
  bOptions: Partial<CrossContextLockOptions> = {},
) {
  const found = origin();
  cleanup = found.closeAll;
  const a = found.context(aOptions);
  const b = found.context(bOptions);
  const writer = asWrite(await a.lock.lock(key));
  return { ...found, a, b, writer };
}

describe('CrossContextLock within one context', () => {
  it('makes one Web Lock request however many local callers ask', async () => {
    const { manager, context, closeAll } = origin();
    cleanup = closeAll;
    const a = context();
    const locked = await Promise.all([1, 2, 3, 4, 5].map(() => a.lock.lock(key)));
    expect(locked.map((l) => l.kind).sort()).toEqual(['read', 'read', 'read', 'read', 'write']);
    expect(a.locks.requests).toEqual([{ name: lockName, ifAvailable: true }]);
    expect(manager.holder(lockName)).toBe(a.locks.id);

    const waits = locked.filter((l) => l.kind === 'read').map((l) => l.wait());
    locked.filter((l) => l.kind === 'write').forEach((w) => w.release(LockStatus.GiveUp));
    expect(await Promise.all(waits)).toEqual(Array(4).fill(LockStatus.GiveUp));
    await flush();
    expect(manager.holder(lockName)).toBeUndefined();
  });

  it('ignores a second release', async () => {
    const { b, writer } = await aWrites();
    const remote = asRead(await b.lock.lock(key)).wait();
    writer.release(LockStatus.TransientError);
    writer.release(LockStatus.Done);
    expect(await remote).toBe(LockStatus.TransientError);
  });
});

describe('CrossContextLock across contexts', () => {
  it('lets only one context write a key at a time', async () => {
    const { manager, context, closeAll } = origin();
    cleanup = closeAll;
    const [a, b, c] = [context(), context(), context()];
    const locked = await Promise.all([a, b, c, a, b, c].map((ctx) => ctx.lock.lock(key)));
    const writers = locked.filter((l) => l.kind === 'write');
    expect(writers).toHaveLength(1);
    expect(manager.holder(lockName)).toBeDefined();
    // One ifAvailable attempt per context, then one queued wait in each context that lost.
    expect([a, b, c].map((ctx) => ctx.locks.requests.length).sort()).toEqual([1, 2, 2]);
    writers[0]!.release(LockStatus.Done);
    const statuses = await Promise.all(
      locked.filter((l) => l.kind === 'read').map((l) => l.wait()),
    );
    expect(statuses).toEqual(Array(5).fill(LockStatus.Done));
  });

  it.each([LockStatus.Done, LockStatus.TransientError, LockStatus.GiveUp, LockStatus.Dangling])(
    'carries %s to every reader of the other context',
    async (status: Status) => {
      const { b, writer } = await aWrites();
      const readers = await Promise.all([b.lock.lock(key), b.lock.lock(key), b.lock.lock(key)]);
      const waits = readers.map((reader) => asRead(reader).wait());
      expect(await peek(waits[0]!)).toBe('pending');
      writer.release(status);
      expect(await Promise.all(waits)).toEqual([status, status, status]);
    },
  );

  it('frees the key for the other context once the writer released', async () => {
    const { a, b, writer } = await aWrites();
    const wait = asRead(await b.lock.lock(key)).wait();
    writer.release(LockStatus.TransientError);
    expect(await wait).toBe(LockStatus.TransientError);
    // The retry: one reader of b becomes the writer, and now a waits for b.
    const next = asWrite(await b.lock.lock(key));
    const aWait = asRead(await a.lock.lock(key)).wait();
    next.release(LockStatus.Done);
    expect(await aWait).toBe(LockStatus.Done);
  });

  it('gives Dangling to the other context when the writer’s context dies', async () => {
    const { manager, a, b } = await aWrites();
    const waits = [asRead(await b.lock.lock(key)).wait(), asRead(await b.lock.lock(key)).wait()];
    a.locks.kill();
    await flush();
    expect(await peek(waits[0]!)).toBe('pending'); // the grace period for a status in flight
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(await Promise.all(waits)).toEqual([LockStatus.Dangling, LockStatus.Dangling]);
    expect(manager.holder(lockName)).toBeUndefined();
    // b competes again and wins.
    asWrite(await b.lock.lock(key)).release(LockStatus.Done);
    await vi.advanceTimersByTimeAsync(DEFAULT_LOCK_TIMEOUT_MS); // the dead context's own timer
  });

  it('takes a status that arrives during the grace period over Dangling', async () => {
    const { hub, a, b } = await aWrites();
    const wait = asRead(await b.lock.lock(key)).wait();
    a.locks.kill(); // the lock comes free before the status, which a late channel then delivers
    await vi.advanceTimersByTimeAsync(GRACE_MS - 1);
    const late = hub.channel();
    late.postMessage({ type: 'lock-released', key: variantHash(key), status: LockStatus.GiveUp });
    expect(await wait).toBe(LockStatus.GiveUp);
    late.close();
    await vi.advanceTimersByTimeAsync(DEFAULT_LOCK_TIMEOUT_MS); // the dead context's own timer
  });

  it('times the other context’s readers out', async () => {
    const { manager, b, writer } = await aWrites({ timeoutMs: 60_000 }, { timeoutMs: 1_000 });
    const wait = asRead(await b.lock.lock(key)).wait();
    expect(manager.queued(lockName)).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(await peek(wait)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await wait).toBe(LockStatus.Timeout);
    expect(manager.queued(lockName)).toBe(0); // the queued Web Lock request was withdrawn
    writer.release(LockStatus.Done);
  });

  it('lets go of the Web Lock when the writer outlives its timeout, announcing nothing', async () => {
    const {
      manager,
      context,
      a,
      b,
      writer: stuck,
    } = await aWrites({ timeoutMs: 1_000 }, { timeoutMs: 60_000 });
    const wait = asRead(await b.lock.lock(key)).wait();
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(await wait).toBe(LockStatus.Dangling);
    expect(manager.holder(lockName)).toBeUndefined();

    const next = asWrite(await b.lock.lock(key));
    const aWait = asRead(await a.lock.lock(key)).wait();
    const c = context({ timeoutMs: 60_000 });
    const cWait = asRead(await c.lock.lock(key)).wait();
    stuck.release(LockStatus.GiveUp); // late: nobody waiting on b's write may hear of it
    expect(await peek(aWait)).toBe('pending');
    expect(await peek(cWait)).toBe('pending');
    next.release(LockStatus.Done);
    expect(await Promise.all([aWait, cWait])).toEqual([LockStatus.Done, LockStatus.Done]);
  });

  it('ignores malformed channel messages', async () => {
    const { hub, b, writer } = await aWrites();
    const wait = asRead(await b.lock.lock(key)).wait();
    const hash = variantHash(key);
    const noise = hub.channel();
    for (const message of [
      null,
      'lock-released',
      42,
      [hash, LockStatus.Done],
      {},
      { type: 'stored', key: hash, status: LockStatus.Done },
      { key: hash, status: LockStatus.Done },
      { type: 'lock-released', status: LockStatus.Done },
      { type: 'lock-released', key: 7, status: LockStatus.Done },
      { type: 'lock-released', key: '', status: LockStatus.Done },
      { type: 'lock-released', key: hash.repeat(5), status: LockStatus.Done },
      { type: 'lock-released', key: hash },
      { type: 'lock-released', key: hash, status: 'done' },
      { type: 'lock-released', key: hash, status: LockStatus.Waiting },
      { type: 'lock-released', key: variantHash({ ...key, primary: 'x' }), status: 'Done' },
    ]) {
      noise.postMessage(message);
    }
    expect(await peek(wait)).toBe('pending');
    writer.release(LockStatus.GiveUp);
    expect(await wait).toBe(LockStatus.GiveUp);
    noise.close();
  });

  it('gives Dangling to the readers when the writer disposes of its permit unreleased', async () => {
    const { a, b, writer } = await aWrites();
    const local = asRead(await a.lock.lock(key)).wait();
    const remote = asRead(await b.lock.lock(key)).wait();
    writer.dispose();
    expect(await Promise.all([local, remote])).toEqual([LockStatus.Dangling, LockStatus.Dangling]);
  });
});

describe('CrossContextLock with a write other contexts cannot follow', () => {
  /** `a` writes `key`, whose write its storage holds in `holds` (see RemoteWakeHolds). */
  async function aWritesHeld(aOptions: Partial<CrossContextLockOptions> = {}) {
    const holds = new RemoteWakeHolds();
    const found = await aWrites({ holds, ...aOptions }, { timeoutMs: 60_000 });
    const endWrite = holds.hold(variantHash(key));
    const local = asRead(await found.a.lock.lock(key)).wait();
    const remote = asRead(await found.b.lock.lock(key)).wait();
    return { ...found, holds, endWrite, local, remote };
  }

  it.each([LockStatus.Done, LockStatus.TransientError] as const)(
    'wakes local readers at the release and the other contexts once the write ended (%s)',
    async (end) => {
      const { manager, a, writer, endWrite, local, remote } = await aWritesHeld();
      writer.release(LockStatus.Done);
      expect(await local).toBe(LockStatus.Done); // they follow this context's own copy
      await flush();
      expect(await peek(remote)).toBe('pending');
      expect(manager.holder(lockName)).toBe(a.locks.id);
      endWrite(end);
      expect(await remote).toBe(end);
      await flush();
      expect(manager.holder(lockName)).toBeUndefined();
    },
  );

  it('does not hold a release other than Done', async () => {
    const { writer, local, remote, endWrite } = await aWritesHeld();
    writer.release(LockStatus.GiveUp);
    expect(await Promise.all([local, remote])).toEqual([LockStatus.GiveUp, LockStatus.GiveUp]);
    endWrite(LockStatus.Done);
  });

  it('does not hold the release of a key that is not held', async () => {
    const holds = new RemoteWakeHolds();
    const { b, writer } = await aWrites({ holds });
    holds.hold(variantHash({ ...key, primary: 'https://example.test/other' }));
    const remote = asRead(await b.lock.lock(key)).wait();
    writer.release(LockStatus.Done);
    expect(await remote).toBe(LockStatus.Done);
  });

  it('lets go of the Web Lock unannounced when the write outlives the lock’s timeout', async () => {
    const { manager, a, b, writer, endWrite, remote } = await aWritesHeld({ timeoutMs: 1_000 });
    writer.release(LockStatus.Done);
    await vi.advanceTimersByTimeAsync(999);
    expect(manager.holder(lockName)).toBe(a.locks.id);
    await vi.advanceTimersByTimeAsync(1);
    expect(manager.holder(lockName)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(await remote).toBe(LockStatus.Dangling);

    const next = asWrite(await b.lock.lock(key));
    const aWait = asRead(await a.lock.lock(key)).wait();
    endWrite(LockStatus.Done); // late: nobody waiting on b's write may hear of it
    await flush();
    expect(await peek(aWait)).toBe('pending');
    next.release(LockStatus.TransientError);
    expect(await aWait).toBe(LockStatus.TransientError);
  });
});

describe('CrossContextLock when the platform fails', () => {
  it('writes locally when the Web Locks API throws, and says so', async () => {
    const hub = new FakeChannelHub();
    const log = vi.fn();
    const lock = new CrossContextLock({
      locks: {
        request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')),
        query: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')),
      },
      channel: hub.channel(),
      log,
    });
    cleanup = () => lock.close();
    const writer = asWrite(await lock.lock(key));
    const wait = asRead(await lock.lock(key)).wait();
    writer.release(LockStatus.Done);
    expect(await wait).toBe(LockStatus.Done);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Web Locks'), expect.anything());
  });

  it('survives a channel that cannot post: readers still learn the writer left', async () => {
    const log = vi.fn();
    const { a, b, writer } = await aWrites({ log });
    const wait = asRead(await b.lock.lock(key)).wait();
    a.lock.close(); // closes a's channel: the announcement cannot be posted
    writer.release(LockStatus.Done);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(await wait).toBe(LockStatus.Dangling);
  });

  it('ends its waits on other contexts as Dangling on close()', async () => {
    const { hub, context } = origin();
    const a = context();
    const bChannel = hub.channel();
    const b = context({ channel: bChannel });
    const writer = asWrite(await a.lock.lock(key));
    const channel = hub.channel();
    const c = new CrossContextLock({ locks: new FakeLockManager().context(), channel });
    cleanup = () => {
      a.lock.close();
      c.close();
    };
    expect(bChannel.listenerCount).toBe(0); // no wait on another context yet: not listening
    const wait = asRead(await b.lock.lock(key)).wait();
    expect(bChannel.listenerCount).toBe(1);
    b.lock.close();
    expect(await wait).toBe(LockStatus.Dangling);
    expect(bChannel.listenerCount).toBe(0);
    expect(bChannel.closed).toBe(true);
    writer.release(LockStatus.Done);
    expect(channel.listenerCount).toBe(0);
    c.close();
    expect(channel.closed).toBe(true);
  });
});
