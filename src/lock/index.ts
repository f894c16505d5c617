/** The cache lock: a table inside the worker plus Web Locks across contexts (`docs/lock.md`). */
export { createCacheLock, type CreateCacheLockOptions } from './create-cache-lock.ts';
export type { CrossContextPermit } from './cross-context-permit.ts';
export {
  DEFAULT_LOCK_TIMEOUT_MS,
  LockTable,
  type LockTableOptions,
  type TableLocked,
  type TablePermit,
} from './lock-table.ts';
export type { LockReleasedMessage } from './lock-message.ts';
export type {
  ChannelLike,
  ChannelMessageEvent,
  LockManagerLike,
  WebLockLike,
  WebLockRequestOptions,
} from '../core/platform.ts';
export type { ReleaseStatus } from './release-status.ts';
export {
  CrossContextLock,
  DEFAULT_LOCK_NAME,
  DEFAULT_STATUS_GRACE_MS,
  type CrossContextLockOptions,
} from './web-locks.ts';
