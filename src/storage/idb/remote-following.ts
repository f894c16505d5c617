/**
 * The code that following other contexts' writes takes, handed to `IdbStorage` as its
 * `following` option (with `locks`) rather than imported by it, so that a worker without the
 * cross-context feature does not ship it.
 */
import type { ChannelLike } from '../../core/platform.ts';
import type { HitHandler } from '../../core/storage.ts';
import {
  IdbRemoteFollowHitHandler,
  type RemoteFollowContext,
  type RemoteWrite,
} from './idb-remote-follow-hit.ts';
import { WriteNotifier } from './write-notifier.ts';
import { holdIfWhole } from './whole-writes.ts';

export interface RemoteFollowing {
  /** Posts this context's chunks for readers elsewhere (on `channel`, when there is one). */
  notifier(channel: ChannelLike | undefined): WriteNotifier;
  /** A reader of another context's write. */
  follower(context: RemoteFollowContext, write: RemoteWrite, label: string): HitHandler;
  /** Holds a write too small to follow instead of registering it (`whole-writes.ts`). */
  holdIfWhole: typeof holdIfWhole;
}

export const remoteFollowing: RemoteFollowing = {
  notifier: (channel) => new WriteNotifier(channel),
  follower: (context, write, label) => new IdbRemoteFollowHitHandler(context, write, label),
  holdIfWhole,
};
