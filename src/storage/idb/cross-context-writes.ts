/**
 * The platform pieces that let other contexts follow this context's IndexedDB writes (and this
 * context follow theirs): `navigator.locks` for writer liveness and a `<name>:writes`
 * BroadcastChannel for notifications. Without Web Locks the feature stays off (other contexts
 * see entries once complete); without BroadcastChannel readers poll.
 */
import type { IdbStorageOptions } from './idb.ts';
import { remoteFollowing } from './remote-following.ts';
import { writesChannelName } from './write-notifier.ts';
import type { LockManagerLike } from '../../core/platform.ts';

/** `IdbStorage` options for database `name` from this runtime's globals. */
export function crossContextWrites(
  name: string,
): Pick<IdbStorageOptions, 'locks' | 'writesChannel' | 'following'> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks === undefined) return {};
  const following = remoteFollowing;
  if (typeof BroadcastChannel !== 'function') return { locks, following };
  return { locks, following, writesChannel: new BroadcastChannel(writesChannelName(name)) };
}
