/**
 * The cache lock contract (pingora `CacheLock`): the first request for a missing or stale key
 * gets the write permit, the others a read lock that waits for the writer's outcome.
 * Implementations live in `src/lock/` (a table in the worker plus Web Locks across contexts).
 */
import type { CacheKey } from './key.ts';

export const LockStatus = {
  /** Still waiting for the writer. */
  Waiting: 'Waiting',
  /** The writer finished: look up again, the entry (or its streaming write) is there. */
  Done: 'Done',
  /** The writer failed for a transient reason: one of the readers becomes the writer. */
  TransientError: 'TransientError',
  /** The writer found the response uncacheable: readers fetch on their own, uncached. */
  GiveUp: 'GiveUp',
  /** The writer vanished without releasing (its context died): compete again. */
  Dangling: 'Dangling',
  /** The reader waited longer than its timeout. */
  Timeout: 'Timeout',
} as const;
export type LockStatus = (typeof LockStatus)[keyof typeof LockStatus];

export interface WritePermit {
  readonly kind: 'write';
  /** Releases the permit; readers wake with `status`. Releasing twice is a no-op. */
  release(status: LockStatus): void;
}

export interface ReadLock {
  readonly kind: 'read';
  /** Resolves with the writer's status, or `Timeout`. */
  wait(): Promise<LockStatus>;
}

export type Locked = WritePermit | ReadLock;

export interface CacheLock {
  /** Takes the write permit if nobody holds it, otherwise a read lock on the holder. */
  lock(key: CacheKey): Promise<Locked>;
}
