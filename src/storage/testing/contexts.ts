/**
 * Contexts of one origin for the IndexedDB storage's cross-context tests: fake Web Locks every
 * context sees, and storages on one database sharing them and a channel. Importing this module
 * registers the `afterEach` that closes the channels, before the databases close.
 */
import { afterEach } from 'vitest';
import type { LockManagerLike, WebLockLike } from '../../core/platform.ts';
import type { FakeChannel } from '../../lock/testing/fake-channel.ts';
import { FakeChannelHub } from '../../lock/testing/fake-channel.ts';
import type { IdbStorage, IdbStorageOptions } from '../idb/idb.ts';
import { remoteFollowing } from '../idb/remote-following.ts';
import { newDbName, newIdb } from './idb.ts';

/** Web Locks of one origin: every context sees every held lock; `kill` ends a context. */
export class FakeLocks {
  readonly #held = new Map<string, string>();

  context(name: string): LockManagerLike {
    return {
      request: async <T>(
        lock: string,
        _options: unknown,
        callback: (held: WebLockLike | null) => T,
      ): Promise<Awaited<T>> => {
        if (this.#held.has(lock)) throw new Error(`test: ${lock} is already held`);
        this.#held.set(lock, name);
        try {
          return await callback({ name: lock });
        } finally {
          if (this.#held.get(lock) === name) this.#held.delete(lock);
        }
      },
      query: () => Promise.resolve({ held: [...this.#held.keys()].map((n) => ({ name: n })) }),
    };
  }

  /** The browser frees a dead context's locks. */
  kill(name: string): void {
    for (const [lock, holder] of this.#held) if (holder === name) this.#held.delete(lock);
  }

  get count(): number {
    return this.#held.size;
  }
}

const channels: FakeChannel[] = [];

/** Closes `channel` after the test, with the others. */
export function trackChannel(channel: FakeChannel): void {
  channels.push(channel);
}

/** Polling slow enough that only a message can wake a reader within a test. */
export const NO_POLL = { min: 60_000, max: 60_000 };
export const FAST_POLL = { min: 5, max: 20 };

export interface Contexts {
  readonly a: IdbStorage;
  readonly b: IdbStorage;
  readonly locks: FakeLocks;
  readonly hub: FakeChannelHub;
}

/** Two contexts on one database, sharing Web Locks and (unless `channel` is false) a channel. */
export function twoContexts(
  options: { channel?: boolean; a?: IdbStorageOptions; b?: IdbStorageOptions } = {},
): Contexts {
  const name = newDbName();
  const locks = new FakeLocks();
  const hub = new FakeChannelHub();
  const open = (context: string, extra: IdbStorageOptions = {}) => {
    const channel = options.channel === false ? undefined : hub.channel();
    if (channel !== undefined) channels.push(channel);
    return newIdb({
      name,
      locks: locks.context(context),
      following: remoteFollowing,
      followPollMs: NO_POLL,
      ...(channel !== undefined && { writesChannel: channel }),
      ...extra,
    });
  };
  return { a: open('a', options.a), b: open('b', options.b), locks, hub };
}

afterEach(() => {
  // Before the databases close (testing/idb.ts's afterEach, registered first, runs last).
  for (const channel of channels.splice(0)) channel.close();
});
