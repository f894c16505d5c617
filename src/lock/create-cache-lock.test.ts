import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCacheLock } from './create-cache-lock.ts';
import { LockTable } from './lock-table.ts';
import type { ChannelLike, LockManagerLike } from '../core/platform.ts';
import { FakeLockManager } from './testing/fake-lock-manager.ts';
import { FakeChannelHub } from './testing/fake-channel.ts';
import { CrossContextLock } from './web-locks.ts';

afterEach(() => vi.unstubAllGlobals());

describe('createCacheLock', () => {
  it('falls back to the in-worker table without navigator.locks, and logs why', () => {
    vi.stubGlobal('navigator', {});
    const log = vi.fn();
    const lock = createCacheLock({ timeoutMs: 2_000, log });
    expect(lock).toBeInstanceOf(LockTable);
    expect(lock.timeoutMs).toBe(2_000);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('navigator.locks'));
  });

  it('falls back without BroadcastChannel', () => {
    vi.stubGlobal('navigator', { locks: new FakeLockManager().context() });
    vi.stubGlobal('BroadcastChannel', undefined);
    const log = vi.fn();
    expect(createCacheLock({ log })).toBeInstanceOf(LockTable);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('BroadcastChannel'));
  });

  it('locks across contexts with navigator.locks and a `<name>:lock` channel', async () => {
    const locks = new FakeLockManager().context();
    const hub = new FakeChannelHub();
    const names: string[] = [];
    vi.stubGlobal('navigator', { locks } satisfies { locks: LockManagerLike });
    vi.stubGlobal(
      'BroadcastChannel',
      vi.fn(function (name: string): ChannelLike {
        names.push(name);
        return hub.channel();
      }),
    );
    const log = vi.fn();
    const lock = createCacheLock({ name: 'app', timeoutMs: 3_000, log });
    expect(lock).toBeInstanceOf(CrossContextLock);
    expect(lock.timeoutMs).toBe(3_000);
    expect(names).toEqual([]); // opened on first use, not while the worker's script runs
    expect(log).not.toHaveBeenCalled();
    const permit = await lock.lock({ namespace: '', primary: 'https://example.test/' });
    expect(locks.requests[0]?.name).toMatch(/^app:[0-9a-f]{32}$/);
    if (permit.kind === 'write') permit.release('Done');
    expect(names).toEqual(['app:lock']); // the release is announced on it
    (lock as CrossContextLock).close();
  });

  it('works with the BroadcastChannel of Node', () => {
    vi.stubGlobal('navigator', { locks: new FakeLockManager().context() });
    const lock = createCacheLock({ log: vi.fn() });
    expect(lock).toBeInstanceOf(CrossContextLock);
    (lock as CrossContextLock).close(); // or the open channel keeps the process alive
  });
});
