/**
 * The storage stack the worker runs, in one place so that its tests build the same one:
 * `AnnouncingStorage(CompositionStorage(memory, QuotaRetryStorage(durable)))`. Quota retry sits
 * around the durable layer, inside the composition (see `wrappers/quota-retry.ts`); the
 * announcements wrap everything, so every change this worker makes is posted once. A worker
 * without listeners for them (no control client, no other worker) runs the stack without them.
 */
import type { Storage } from '../core/storage.ts';
import { CompositionStorage } from './composition/composition.ts';
import type { EventPoster } from './wrappers/announcing.ts';
import { AnnouncingStorage } from './wrappers/announcing.ts';
import { QuotaRetryStorage } from './wrappers/quota-retry.ts';

export interface ComposedStorageOptions {
  /** L1: fast, lost when the worker stops (`MemoryStorage`). */
  readonly memory: Storage;
  /** L2: durable and shared (`IdbStorage`). */
  readonly durable: Storage;
  /** Frees at least `bytes` of durable storage after a quota error (see `QuotaRetryOptions`). */
  readonly makeRoom: (bytes: number) => Promise<void>;
  /** Told about every failure the stack absorbs. */
  readonly log: (message: string, details?: unknown) => void;
}

export interface LayeredStorageOptions extends ComposedStorageOptions {
  /** Where the changes are announced (the cache's event `BroadcastChannel`). */
  readonly channel: EventPoster;
  /** This context's event source id (`newSourceId`). */
  readonly source: string;
}

/** The stack without its announcements: `CompositionStorage(memory, QuotaRetryStorage(durable))`. */
export function composedStorage(options: ComposedStorageOptions): Storage {
  const { log } = options;
  const l2 = new QuotaRetryStorage(options.durable, { makeRoom: options.makeRoom });
  return new CompositionStorage(options.memory, l2, {
    onError: (error, layer, operation) => log(`${layer} ${operation} failed`, error),
  });
}

/** The whole stack, announcing every change (a worker with listeners for the events). */
export function layeredStorage(options: LayeredStorageOptions): AnnouncingStorage {
  return announcingStorage(composedStorage(options), options);
}

/** `storage` announcing its changes on `channel` (failures to post go to `log`). */
export function announcingStorage(
  storage: Storage,
  { channel, source, log }: Pick<LayeredStorageOptions, 'channel' | 'source' | 'log'>,
): AnnouncingStorage {
  return new AnnouncingStorage(storage, channel, {
    source,
    onError: (error) => log('could not post a cache event', error),
  });
}
