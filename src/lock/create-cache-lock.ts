/**
 * The cache lock for the current context: cross-context on the Web Locks API and a
 * BroadcastChannel where the browser has both, the in-worker table alone otherwise.
 */
import { LockTable } from './lock-table.ts';
import { openedOnFirstUse, type ChannelLike, type LockManagerLike } from '../core/platform.ts';
import { CrossContextLock, DEFAULT_LOCK_NAME } from './web-locks.ts';
import type { RemoteWakeHolds } from '../core/remote-wake-holds.ts';

export interface CreateCacheLockOptions {
  /** Names the Web Locks (`<name>:<hash>`) and the channel (`<name>:lock`). Default `'sw-http-cache'`. */
  readonly name?: string;
  /** See {@link LockTableOptions.timeoutMs}. */
  readonly timeoutMs?: number;
  /** Where to say why the lock is local only, and report Web Locks failures. Default `console.info`. */
  readonly log?: (message: string, details?: unknown) => void;
  /** Writes whose other-context readers wake when they end (see {@link RemoteWakeHolds}). */
  readonly holds?: RemoteWakeHolds;
}

interface PlatformGlobals {
  readonly navigator?: { readonly locks?: LockManagerLike };
  readonly BroadcastChannel?: new (name: string) => ChannelLike;
}

export function createCacheLock(
  options: CreateCacheLockOptions = {},
): LockTable | CrossContextLock {
  const name = options.name ?? DEFAULT_LOCK_NAME;
  const log =
    options.log ??
    ((message: string, details?: unknown) => console.info(`[${name}] ${message}`, details ?? ''));
  const platform = globalThis as PlatformGlobals;
  const locks = platform.navigator?.locks;
  const Channel = platform.BroadcastChannel;
  if (locks === undefined || Channel === undefined) {
    const missing = locks === undefined ? 'navigator.locks' : 'BroadcastChannel';
    log(`${missing} is not available: the cache lock coordinates requests in this context only`);
    return new LockTable({ timeoutMs: options.timeoutMs });
  }
  return new CrossContextLock({
    locks,
    // Opened by the first wait on another context or the first release announced: not while
    // the worker's script runs, in front of the request that started it.
    channel: openedOnFirstUse(() => new Channel(`${name}:lock`)),
    name,
    timeoutMs: options.timeoutMs,
    log,
    holds: options.holds,
  });
}
