/**
 * Writes other contexts need not follow: a body declared smaller than one chunk is stored by its
 * finish's one transaction, so a follower would get nothing before the end. Such a write is held
 * in the lock's {@link RemoteWakeHolds} instead of registered (see `IdbMissHandler.register`).
 * Part of the `following` code (`remote-following.ts`), so a worker without the cross-context
 * feature does not ship it.
 */
import { declaredLength, getHeader, type CacheMeta } from '../../core/meta.ts';
import type { HeldWriteEnd, RemoteWakeHolds } from '../../core/remote-wake-holds.ts';

/** Holds `hash` in `holds` when the body lands in one transaction; else `undefined`. */
export function holdIfWhole(
  holds: RemoteWakeHolds,
  hash: string,
  meta: CacheMeta,
  chunkSize: number,
): ((end: HeldWriteEnd) => void) | undefined {
  return landsAtFinish(meta, chunkSize) ? holds.hold(hash) : undefined;
}

/**
 * Whether the body is declared smaller than one chunk (`Content-Length`, no content coding: the
 * stored body is the decoded one). A body that turns out longer is stored in chunks all the
 * same, just not followed elsewhere.
 */
function landsAtFinish(meta: CacheMeta, chunkSize: number): boolean {
  const length = declaredLength(meta);
  const coding = getHeader(meta.headers, 'content-encoding')?.trim().toLowerCase() ?? 'identity';
  return length !== undefined && length < chunkSize && coding === 'identity';
}
