/**
 * Several contexts on one cache, as a feature (`features: [crossContext()]`): the cache lock
 * coalesces requests across them (Web Locks and a BroadcastChannel), and a reader follows a body
 * another context is still writing to IndexedDB. Contexts are worker instances: the old and the
 * new worker during an update, workers of several scopes. The tabs of one worker are coalesced
 * without it (one lock table per worker); without it, another worker's write is seen once it is
 * complete, and a request may download what another worker is downloading.
 */
import type { CacheLock } from '../core/lock.ts';
import { RemoteWakeHolds } from '../core/remote-wake-holds.ts';
import { CrossContextLock, createCacheLock, type CreateCacheLockOptions } from '../lock/index.ts';
import { crossContextWrites, type IdbStorageOptions } from '../storage/index.ts';
import { announceChanges } from './announcements.ts';
import { defineFeature, type HttpCacheFeature } from './features.ts';

/** What one cache (database `name`) gets from the feature. */
export interface CrossContextParts {
  /** `IdbStorage` options that let other contexts follow this one's writes, and it theirs. */
  readonly idb: Pick<
    IdbStorageOptions,
    'locks' | 'writesChannel' | 'following' | 'remoteWakeHolds'
  >;
  /** The cache lock across contexts (the lock table alone where Web Locks are missing). */
  readonly lock: CacheLock;
}

export interface CrossContextFeature {
  /** The storage options and the lock of one cache; they share the writes nobody can follow. */
  connect(options: CreateCacheLockOptions & { readonly name: string }): CrossContextParts;
}

/** Coalescing and write following across worker instances (see the module comment). */
export function crossContext(): HttpCacheFeature {
  // Other workers drop their memory copies of what this one evicts, purges or clears.
  return defineFeature('cross-context', {
    crossContext: { connect },
    announcements: announceChanges,
  });
}

function connect(options: CreateCacheLockOptions & { readonly name: string }): CrossContextParts {
  const holds = new RemoteWakeHolds();
  const lock = createCacheLock({ ...options, holds });
  // Only the cross-context lock wakes other contexts' readers when a held write ends: with the
  // lock table alone (no BroadcastChannel), every write is registered for them to follow.
  const remoteWakeHolds = lock instanceof CrossContextLock ? holds : undefined;
  return { idb: { ...crossContextWrites(options.name), remoteWakeHolds }, lock };
}
