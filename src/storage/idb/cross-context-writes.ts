/**
 * The platform pieces that let other contexts follow this context's IndexedDB writes (and this
 * context follow theirs): `navigator.locks` for writer liveness and a `<name>:writes`
 * BroadcastChannel for notifications. Without Web Locks the feature stays off (other contexts
 * see entries once complete); without BroadcastChannel readers poll.
 */
import type { IdbStorageOptions } from './idb.ts';
import { remoteFollowing } from './remote-following.ts';
import { writesChannelName } from './write-notifier.ts';
import { openedOnFirstUse, type LockManagerLike } from '../../core/platform.ts';

/** `IdbStorage` options for database `name` from this runtime's globals. */
export function crossContextWrites(
  name: string,
): Pick<IdbStorageOptions, 'locks' | 'writesChannel' | 'following'> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks === undefined) return {};
  const following = remoteFollowing;
  if (typeof BroadcastChannel !== 'function') return { locks, following };
  // Opened when a write posts or a reader follows one: a worker that only serves hits never
  // opens it (0.6–1.6 ms of a just-started worker, bench/cpu-profile.mjs).
  const writesChannel = openedOnFirstUse(() => new BroadcastChannel(writesChannelName(name)));
  return { locks, following, writesChannel };
}
