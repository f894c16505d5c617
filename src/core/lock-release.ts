/**
 * Which lock status a writer that stops caching leaves to the readers waiting on it (pingora
 * `HttpCache::disable`).
 */
import { LockStatus } from './lock.ts';
import { NoCacheReason } from './phase.ts';

/**
 * The status to release a held write permit with when caching stops for `reason`.
 *
 * Transient failures let a waiting reader try to fetch and store; a response the origin will not
 * let us store (or that is too large) tells the readers to fetch on their own. Reasons that can
 * never apply to a writer throw: holding the write permit with them is a programming error.
 */
export function lockStatusOnDisable(reason: NoCacheReason): LockStatus {
  switch (reason) {
    case NoCacheReason.InternalError:
    case NoCacheReason.StorageError:
    case NoCacheReason.UpstreamError:
    case NoCacheReason.Deferred:
      return LockStatus.TransientError;
    case NoCacheReason.OriginNotCache:
    case NoCacheReason.ResponseTooLarge:
      return LockStatus.GiveUp;
    case NoCacheReason.NeverEnabled:
      throw new Error('a cache that was never enabled cannot hold the write lock');
    case NoCacheReason.CacheLockGiveUp:
    case NoCacheReason.CacheLockTimeout:
      throw new Error(
        `${reason} is a reason for lock readers, but this request holds the write lock`,
      );
    default:
      // Custom reasons: we cannot tell whether a retry would help, so do as pingora does.
      return LockStatus.GiveUp;
  }
}
