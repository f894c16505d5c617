/**
 * The code that following other contexts' writes takes, handed to `IdbStorage` as its
 * `following` option (with `locks`) rather than imported by it, so that a worker without the
 * cross-context feature does not ship it: finding another context's write in a meta record,
 * checking its writer is alive and following it, the writer lock of this context's writes, and
 * which of them are too small to follow.
 */
import type { CacheMeta } from '../../core/meta.ts';
import type { ChannelLike, LockManagerLike } from '../../core/platform.ts';
import type { HitHandler } from '../../core/storage.ts';
import {
  IdbRemoteFollowHitHandler,
  type RemoteFollowContext,
  type RemoteWrite,
} from './idb-remote-follow-hit.ts';
import type { MetaRecord } from './idb-schema.ts';
import { WriteNotifier } from './write-notifier.ts';
import { holdIfWhole } from './whole-writes.ts';
import { isLockHeld, WriterLock } from './writer-liveness.ts';

/** Another context's write as a lookup finds it in the key's meta record. */
export type FoundWrite = RemoteWrite & { readonly meta: CacheMeta };

export interface RemoteFollowing {
  /** Posts this context's chunks for readers elsewhere (on `channel`, when there is one). */
  notifier(channel: ChannelLike | undefined): WriteNotifier;
  /**
   * The newest followable write of another context in `record` (not yet checked alive): one not
   * of this context (`liveWriters`), with a heartbeat younger than `staleWriterMs`.
   */
  writeOf(
    context: RemoteFollowContext,
    record: MetaRecord,
    liveWriters: ReadonlySet<string>,
  ): FoundWrite | undefined;
  /** A reader of another context's write, or `null` when its writer is gone (lock free). */
  follow(
    context: RemoteFollowContext,
    write: RemoteWrite,
    label: string,
  ): Promise<HitHandler | null>;
  /** Takes the lock a followable write holds while it writes (`writer-liveness.ts`). */
  writerLock(locks: LockManagerLike, name: string): Promise<WriterLock>;
  /** Holds a write too small to follow instead of registering it (`whole-writes.ts`). */
  holdIfWhole: typeof holdIfWhole;
}

export const remoteFollowing: RemoteFollowing = {
  notifier: (channel) => new WriteNotifier(channel),
  writeOf: newestWriteOf,
  follow: async (context, write, label) =>
    (await isLockHeld(context.locks, context.lockName(write.bodyId)))
      ? new IdbRemoteFollowHitHandler(context, write, label)
      : null,
  writerLock: (locks, name) => WriterLock.acquire(locks, name),
  holdIfWhole,
};

function newestWriteOf(
  { now, staleWriterMs }: RemoteFollowContext,
  record: MetaRecord,
  liveWriters: ReadonlySet<string>,
): FoundWrite | undefined {
  const at = now();
  let newest: (FoundWrite & { startedAt: number }) | undefined;
  for (const writer of record.writers) {
    const { follow, bodyId } = writer;
    if (follow === undefined || liveWriters.has(bodyId)) continue;
    if (at - writer.heartbeatAt >= staleWriterMs) continue;
    if (newest !== undefined && newest.startedAt > follow.startedAt) continue;
    newest = { hash: record.hash, bodyId, ...follow };
  }
  return newest;
}
