/** Which statuses a writer may release with. */
import type { LockStatus } from '../core/lock.ts';
import { LockStatus as Status } from '../core/lock.ts';

/** Every status but `Waiting`: a writer cannot release readers into "still waiting". */
export type ReleaseStatus = Exclude<LockStatus, typeof Status.Waiting>;

const RELEASE_STATUSES: ReadonlySet<unknown> = new Set<LockStatus>([
  Status.Done,
  Status.TransientError,
  Status.GiveUp,
  Status.Dangling,
  Status.Timeout,
]);

export function isReleaseStatus(value: unknown): value is ReleaseStatus {
  return RELEASE_STATUSES.has(value);
}

/** Throws on `Waiting` (a programming error, like pingora's panic on it). */
export function assertReleaseStatus(status: LockStatus): asserts status is ReleaseStatus {
  if (!isReleaseStatus(status)) {
    throw new RangeError(`a write permit cannot be released with status ${String(status)}`);
  }
}
