/**
 * The storage stack the worker runs, in one place so that its tests build the same one:
 * `AnnouncingStorage(CompositionStorage(memory, QuotaRetryStorage(durable)))`. Quota retry sits
 * around the durable layer, inside the composition (see `wrappers/quota-retry.ts`); the
 * announcements wrap everything, so every change this worker makes is posted once.
 */
import type { Storage } from '../core/storage.ts';
import { CompositionStorage } from './composition/composition.ts';
import type { EventPoster } from './wrappers/announcing.ts';
import { AnnouncingStorage } from './wrappers/announcing.ts';
import { QuotaRetryStorage } from './wrappers/quota-retry.ts';

export interface LayeredStorageOptions {
  /** L1: fast, lost when the worker stops (`MemoryStorage`). */
  readonly memory: Storage;
  /** L2: durable and shared (`IdbStorage`). */
  readonly durable: Storage;
  /** Frees at least `bytes` of durable storage after a quota error (see `QuotaRetryOptions`). */
  readonly makeRoom: (bytes: number) => Promise<void>;
  /** Where the changes are announced (the cache's event `BroadcastChannel`). */
  readonly channel: EventPoster;
  /** This context's event source id (`newSourceId`). */
  readonly source: string;
  /** Told about every failure the stack absorbs. */
  readonly log: (message: string, details?: unknown) => void;
}

export function layeredStorage(options: LayeredStorageOptions): AnnouncingStorage {
  const { log } = options;
  const l2 = new QuotaRetryStorage(options.durable, { makeRoom: options.makeRoom });
  return new AnnouncingStorage(
    new CompositionStorage(options.memory, l2, {
      onError: (error, layer, operation) => log(`${layer} ${operation} failed`, error),
    }),
    options.channel,
    { source: options.source, onError: (error) => log('could not post a cache event', error) },
  );
}
