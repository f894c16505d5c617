/**
 * The cache lock across contexts of the origin (the old and the new worker during an update, a
 * second worker, a page using the cache directly): a {@link LockTable} decides inside this
 * context, and the context's one writer per key then takes the key's Web Lock, so no two
 * contexts download the same key at once. The protocol is described in `docs/lock.md`.
 */
import type { CacheKey } from '../core/key.ts';
import type { CacheLock, Locked } from '../core/lock.ts';
import { LockStatus } from '../core/lock.ts';
import { CrossContextWritePermit, type HeldWakes } from './cross-context-permit.ts';
import type { RemoteWakeHolds } from '../core/remote-wake-holds.ts';
import type { LockTableOptions, TablePermit } from './lock-table.ts';
import { LockTable } from './lock-table.ts';
import { lockReleasedMessage, parseLockMessage } from './lock-message.ts';
import type { ChannelLike, ChannelMessageEvent, LockManagerLike } from '../core/platform.ts';
import type { ReleaseStatus } from './release-status.ts';
import { RemoteWait } from './remote-wait.ts';
import { tryHoldWebLock } from './web-lock-hold.ts';

/** The default `name`: the prefix of the Web Lock names. */
export const DEFAULT_LOCK_NAME = 'sw-http-cache';

/** Default time left for a status to arrive after another context's Web Lock came free. */
export const DEFAULT_STATUS_GRACE_MS = 50;

export interface CrossContextLockOptions extends LockTableOptions {
  /** `navigator.locks`, or a fake in tests. */
  readonly locks: LockManagerLike;
  /** A `BroadcastChannel` shared by all contexts (`<name>:lock`); the lock closes it on close(). */
  readonly channel: ChannelLike;
  /** Web Locks are named `<name>:<variantHash(key)>`. Default {@link DEFAULT_LOCK_NAME}. */
  readonly name?: string;
  /** See {@link DEFAULT_STATUS_GRACE_MS}. */
  readonly statusGraceMs?: number;
  /** Reports Web Locks and channel failures (the lock degrades, it does not throw). */
  readonly log?: (message: string, details?: unknown) => void;
  /**
   * Writes the storage did not let other contexts follow: their readers there are woken when
   * the write ended, not when it started (see {@link RemoteWakeHolds}).
   */
  readonly holds?: RemoteWakeHolds;
}

export class CrossContextLock implements CacheLock {
  readonly #table: LockTable;
  readonly #locks: LockManagerLike;
  readonly #channel: ChannelLike;
  readonly #name: string;
  readonly #graceMs: number;
  readonly #log: (message: string, details?: unknown) => void;
  readonly #held: HeldWakes | undefined;
  /** This context's waits on other contexts' writers, by key hash. */
  readonly #waits = new Map<string, RemoteWait>();
  #closed = false;
  #listening = false;

  constructor(options: CrossContextLockOptions) {
    this.#table = new LockTable(options);
    this.#locks = options.locks;
    this.#channel = options.channel;
    this.#name = options.name ?? DEFAULT_LOCK_NAME;
    this.#graceMs = options.statusGraceMs ?? DEFAULT_STATUS_GRACE_MS;
    this.#log = options.log ?? (() => undefined);
    this.#held =
      options.holds === undefined
        ? undefined
        : { holds: options.holds, timeoutMs: this.#table.timeoutMs };
  }

  get timeoutMs(): number {
    return this.#table.timeoutMs;
  }

  /**
   * Decides locally first: a key already held in this context gives a read lock at once, with
   * no Web Locks traffic. The first caller then tries the key's Web Lock without queueing: it
   * writes if it got it, and otherwise waits like a reader for the other context's writer.
   */
  async lock(key: CacheKey): Promise<Locked> {
    const local = this.#table.lockNow(key);
    if (local.kind === 'read') return local;
    const attempt = await tryHoldWebLock(this.#locks, this.#lockName(local.hash));
    switch (attempt.kind) {
      case 'held':
        return new CrossContextWritePermit(
          local,
          attempt.release,
          (status) => this.#announce(local.hash, status),
          this.#held,
        );
      case 'busy':
        this.#waitForOtherContext(local);
        return local.reader();
      case 'failed':
        this.#log('Web Locks unavailable; this write is coordinated in this context only', {
          error: attempt.error,
        });
        return local;
    }
  }

  /** Stops listening to the channel and closes it; waits on other contexts end as `Dangling`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.removeEventListener('message', this.#onMessage);
    for (const wait of [...this.#waits.values()]) wait.deliver(LockStatus.Dangling);
    this.#channel.close?.();
  }

  #lockName(hash: string): string {
    return `${this.#name}:${hash}`;
  }

  /** Holds `local` until the other context's writer is done; local readers wait on it. */
  #waitForOtherContext(local: TablePermit): void {
    // Release messages matter only to a wait: listen from the first one (before it starts, so
    // its writer's message is heard), not from the worker's start.
    if (!this.#listening && !this.#closed) {
      this.#listening = true;
      this.#channel.addEventListener('message', this.#onMessage);
    }
    const wait = new RemoteWait(local, {
      locks: this.#locks,
      lockName: this.#lockName(local.hash),
      graceMs: this.#graceMs,
      log: this.#log,
      onEnded: (ended) => {
        if (this.#waits.get(local.hash) === ended) this.#waits.delete(local.hash);
      },
    });
    this.#waits.set(local.hash, wait);
    wait.start();
  }

  #announce(hash: string, status: ReleaseStatus): void {
    if (this.#closed) return;
    try {
      this.#channel.postMessage(lockReleasedMessage(hash, status));
    } catch (error) {
      // The other contexts still see the Web Lock come free, and conclude `Dangling`.
      this.#log('could not announce a cache lock release', { hash, status, error });
    }
  }

  readonly #onMessage = (event: ChannelMessageEvent): void => {
    const message = parseLockMessage(event.data);
    if (message === undefined) return;
    this.#waits.get(message.key)?.deliver(message.status);
  };
}
