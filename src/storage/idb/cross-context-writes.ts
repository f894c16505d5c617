/**
 * The platform pieces that let other contexts follow this context's IndexedDB writes (and this
 * context follow theirs): `navigator.locks` for writer liveness and a `<name>:writes`
 * BroadcastChannel for notifications. Without Web Locks the feature stays off (other contexts
 * see entries once complete); without BroadcastChannel readers poll.
 */
import type { IdbStorageOptions } from './idb.ts';
import { writesChannelName } from './write-notifier.ts';
import type { LockManagerLike } from '../../core/platform.ts';

/** `IdbStorage` options for database `name` from this runtime's globals. */
export function crossContextWrites(
  name: string,
): Pick<IdbStorageOptions, 'locks' | 'writesChannel'> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks === undefined) return {};
  if (typeof BroadcastChannel !== 'function') return { locks };
  return { locks, writesChannel: new BroadcastChannel(writesChannelName(name)) };
}
