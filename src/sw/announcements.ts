/// <reference lib="webworker" />
/**
 * The cache's events on its BroadcastChannel (`src/protocol/events.ts`): this worker announces
 * what it stores, updates, evicts, purges and clears, and drops its memory copies of what other
 * contexts changed. Only pages with the control client (`subscribe()`, the inspector) and other
 * workers listen, so the events come with `controlEndpoint()` and `crossContext()`; a worker with
 * neither posts nothing and ships none of it.
 */
import type { CacheKey } from '../core/key.ts';
import type { Storage } from '../core/storage.ts';
import { eventChannelName } from '../protocol/events.ts';
import { announcingStorage } from '../storage/layered-storage.ts';
import {
  dropLocalCopies,
  listenForEvictions,
  type LocalCopies,
} from '../storage/wrappers/announcing.ts';

/** What the announcements wrap and update (the worker's runtime). */
export interface AnnouncedCache {
  /** The storage stack to announce the changes of. */
  readonly storage: Storage;
  /** The memory layer, whose copies of what other contexts changed are dropped. */
  readonly memory: LocalCopies;
  /** The eviction manager, told what other contexts removed. */
  readonly eviction: { clear(): void; remove(key: CacheKey): void };
  /** The cache's name, which names the channel. */
  readonly name: string;
  /** This worker's id in the events. */
  readonly source: string;
  readonly log: (message: string, details?: unknown) => void;
}

export interface Announced {
  /** `storage`, announcing its changes. */
  readonly storage: Storage;
  /** Posts `cleared` (after the runtime emptied every layer). */
  readonly announceCleared: () => void;
}

export type Announcements = (cache: AnnouncedCache) => Announced;

export const announceChanges: Announcements = ({
  storage,
  memory,
  eviction,
  name,
  source,
  log,
}) => {
  const channel = new BroadcastChannel(eventChannelName(name));
  const announcing = announcingStorage(storage, { channel, source, log });
  // Another context evicted or purged: drop our memory copies and forget the keys.
  const dropCopies = dropLocalCopies(memory, (error) => log('could not drop a memory copy', error));
  listenForEvictions(channel, source, (event) => {
    dropCopies(event);
    if (event.type === 'cleared') eviction.clear();
    else if (event.type === 'evicted' || event.type === 'purged') {
      for (const key of event.keys) eviction.remove(key);
    }
  });
  return { storage: announcing, announceCleared: () => announcing.announce('cleared', []) };
};
