/**
 * The platform pieces that let other contexts follow this context's IndexedDB writes (and this
 * context follow theirs): `navigator.locks` for writer liveness and a `<name>:writes`
 * BroadcastChannel for notifications. Without Web Locks the feature stays off (other contexts
 * see entries once complete); without BroadcastChannel readers poll.
 */
import type { IdbStorageOptions } from './idb.ts';
import { remoteFollowing } from './remote-following.ts';
import { writesChannelName } from './write-notifier.ts';
import type { ChannelLike, LockManagerLike } from '../../core/platform.ts';

/** `IdbStorage` options for database `name` from this runtime's globals. */
export function crossContextWrites(
  name: string,
): Pick<IdbStorageOptions, 'locks' | 'writesChannel' | 'following'> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks === undefined) return {};
  const following = remoteFollowing;
  if (typeof BroadcastChannel !== 'function') return { locks, following };
  const writesChannel = openedOnFirstUse(() => new BroadcastChannel(writesChannelName(name)));
  return { locks, following, writesChannel };
}

/**
 * A channel opened when first posted on or listened to: a worker that only serves hits never
 * opens it (opening one took 0.6–1.6 ms of a just-started worker, bench/cpu-profile.mjs). Nothing
 * is lost: a channel hears only what is posted while it listens.
 */
export function openedOnFirstUse(open: () => ChannelLike): ChannelLike {
  let channel: ChannelLike | undefined;
  return {
    postMessage: (message) => (channel ??= open()).postMessage(message),
    addEventListener: (type, listener) => (channel ??= open()).addEventListener(type, listener),
    removeEventListener: (type, listener) => channel?.removeEventListener(type, listener),
    close: () => channel?.close?.(),
  };
}
