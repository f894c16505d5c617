import { describe, expect, it } from 'vitest';
import { FakeLockManager } from './fake-lock-manager.ts';
import { flush, peek } from './flush.ts';

function deferred(): { promise: Promise<string>; resolve: (value: string) => void } {
  let resolve: (value: string) => void = () => undefined;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

describe('FakeLockManager', () => {
  it('holds a lock until the callback’s promise settles, then grants the next in order', async () => {
    const manager = new FakeLockManager();
    const a = manager.context('a');
    const b = manager.context('b');
    const hold = deferred();
    const order: string[] = [];
    const first = a.request('x', {}, () => {
      order.push('a');
      return hold.promise;
    });
    const second = b.request('x', {}, (lock) => {
      order.push(`b:${lock?.name}`);
      return 'second';
    });
    await flush();
    expect(order).toEqual(['a']);
    expect(manager.holder('x')).toBe('a');
    expect(manager.queued('x')).toBe(1);
    hold.resolve('first');
    expect(await first).toBe('first');
    expect(await second).toBe('second');
    expect(order).toEqual(['a', 'b:x']);
    expect(manager.holder('x')).toBeUndefined();
  });

  it('calls back with null for ifAvailable when the lock is taken, and grants it when free', async () => {
    const manager = new FakeLockManager();
    const a = manager.context();
    const hold = deferred();
    const held = a.request('x', { ifAvailable: true }, (lock) => (lock ? hold.promise : 'no'));
    expect(await a.request('x', { ifAvailable: true }, (lock) => (lock ? 'yes' : 'no'))).toBe('no');
    expect(await a.request('y', { ifAvailable: true }, (lock) => (lock ? 'yes' : 'no'))).toBe(
      'yes',
    );
    hold.resolve('done');
    expect(await held).toBe('done');
  });

  it('rejects an aborted queued request with AbortError and ignores an abort after the grant', async () => {
    const manager = new FakeLockManager();
    const a = manager.context();
    const hold = deferred();
    const holder = new AbortController();
    const held = a.request('x', { signal: holder.signal }, () => hold.promise);
    const waiter = new AbortController();
    const queued = a.request('x', { signal: waiter.signal }, () => 'never');
    await flush();
    waiter.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(manager.queued('x')).toBe(0);
    holder.abort();
    expect(manager.holder('x')).toBeDefined();
    hold.resolve('kept');
    expect(await held).toBe('kept');
    await expect(a.request('x', { signal: waiter.signal }, () => 'late')).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('releases the lock when the callback throws, and rejects the request with the error', async () => {
    const manager = new FakeLockManager();
    const a = manager.context();
    const failing = a.request('x', {}, () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await a.request('x', { ifAvailable: true }, (lock) => lock !== null)).toBe(true);
  });

  it('frees a dead context’s locks and forgets its queued requests', async () => {
    const manager = new FakeLockManager();
    const a = manager.context('a');
    const b = manager.context('b');
    void a.request('x', {}, () => new Promise(() => undefined));
    void a.request('y', {}, () => new Promise(() => undefined));
    const aQueued = a.request('y', {}, () => 'a again');
    const bGot = b.request('x', {}, (lock) => lock?.name);
    await flush();
    a.kill();
    expect(await bGot).toBe('x');
    expect(manager.queued('y')).toBe(0);
    expect(manager.holder('y')).toBeUndefined();
    expect(await peek(aQueued)).toBe('pending');
    await expect(a.request('z', {}, () => 1)).rejects.toMatchObject({ name: 'InvalidStateError' });
  });

  it('refuses what the specification refuses, and what the fake does not implement', async () => {
    const a = new FakeLockManager().context();
    const signal = new AbortController().signal;
    for (const [name, options] of [
      ['-reserved', {}],
      ['x', { ifAvailable: true, signal }],
      ['x', { mode: 'shared' }],
      ['x', { steal: true }],
    ] as const) {
      await expect(a.request(name, options, () => 1)).rejects.toMatchObject({
        name: 'NotSupportedError',
      });
    }
  });
});
