/**
 * Announces the cache's changes on its event channel (see `src/protocol/events.ts`), and listens to
 * other contexts' announcements so they can drop their in-memory copies.
 *
 * {@link AnnouncingStorage} decorates the worker's storage: lookups pass through untouched (no
 * cost on the hit path); a finished miss posts `stored`, and so does a piece that completes its
 * sparse entry (every byte held: a complete entry now, as a miss leaves it); a successful `updateMeta` posts
 * `updated`, a purge that removed something posts `evicted` (type `eviction`) or `purged` (type
 * `invalidation`). Posting never fails a storage operation.
 */
import type { CacheEvent, CacheEventType } from '../../protocol/events.ts';
import { cacheEvent, parseCacheEvent } from '../../protocol/events.ts';
import type { CacheKey } from '../../core/key.ts';
import type { ChannelLike } from '../../core/platform.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type {
  MissHandler,
  PieceStart,
  PieceWriter,
  PurgeType,
  SparseOutcome,
  Storage,
} from '../../core/storage.ts';
import { ForwardingStorage } from './forwarding.ts';

/** Where events are posted: a `BroadcastChannel`, or a fake in tests. */
export type EventPoster = Pick<ChannelLike, 'postMessage'>;

/** Where events arrive: a `BroadcastChannel`, or a fake in tests. */
export type EventReceiver = Pick<ChannelLike, 'addEventListener' | 'removeEventListener'>;

export interface AnnouncingStorageOptions {
  /** This context's id ({@link newSourceId}); listeners of the same context ignore it. */
  readonly source: string;
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Called when posting fails (a closed channel); the storage operation still succeeds. */
  readonly onError?: (error: unknown, event: CacheEvent) => void;
}

/** A fresh id for this context's events. */
export function newSourceId(): string {
  return crypto.randomUUID();
}

export class AnnouncingStorage extends ForwardingStorage {
  readonly #channel: EventPoster;
  readonly #source: string;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, event: CacheEvent) => void) | undefined;

  constructor(inner: Storage, channel: EventPoster, options: AnnouncingStorageOptions) {
    super(inner);
    this.#channel = channel;
    this.#source = options.source;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
  }

  override async getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    const handler = await this.inner.getMissHandler(key, meta);
    return new AnnouncingMissHandler(handler, () => this.announce('stored', [key]));
  }

  override async getPieceWriter(key: CacheKey, piece: PieceStart): Promise<PieceWriter> {
    const writer = await super.getPieceWriter(key, piece);
    return new AnnouncingPieceWriter(writer, () => this.announce('stored', [key]));
  }

  override async purge(key: CacheKey, type: PurgeType): Promise<boolean> {
    const removed = await this.inner.purge(key, type);
    // Nothing removed here means nothing for other contexts to drop: whoever removed it announced.
    if (removed) this.announce(type === 'eviction' ? 'evicted' : 'purged', [key]);
    return removed;
  }

  override async updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    const updated = await this.inner.updateMeta(key, meta);
    if (updated) this.announce('updated', [key]);
    return updated;
  }

  /**
   * Posts an event for changes made outside the `Storage` contract: `cleared` after clearing
   * the cache (with no keys), or a batch of purges. Never throws.
   */
  announce(type: CacheEventType, keys: readonly CacheKey[]): void {
    const event = cacheEvent(type, keys, this.#source, this.#now());
    try {
      this.#channel.postMessage(event);
    } catch (error) {
      this.#onError?.(error, event);
    }
  }
}

/** Posts `stored` once the inner write has finished; everything else passes through. */
class AnnouncingMissHandler implements MissHandler {
  readonly #inner: MissHandler;
  readonly #onStored: () => void;

  constructor(inner: MissHandler, onStored: () => void) {
    this.#inner = inner;
    this.#onStored = onStored;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#inner.write(chunk);
  }

  async finish(): Promise<number> {
    const size = await this.#inner.finish();
    this.#onStored();
    return size;
  }

  abort(reason?: unknown): Promise<void> {
    return this.#inner.abort(reason);
  }
}

/** Posts `stored` when the piece completed its entry; a piece that leaves it sparse posts nothing. */
class AnnouncingPieceWriter implements PieceWriter {
  readonly #inner: PieceWriter;
  readonly #onComplete: () => void;

  constructor(inner: PieceWriter, onComplete: () => void) {
    this.#inner = inner;
    this.#onComplete = onComplete;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#inner.write(chunk);
  }

  async finish(): Promise<SparseOutcome> {
    const outcome = await this.#inner.finish();
    if (outcome === 'complete') this.#onComplete();
    return outcome;
  }

  abort(): Promise<void> {
    return this.#inner.abort();
  }
}

/**
 * Calls `onEvent` with every valid event another context posts on `channel` (malformed messages
 * and this context's own `source` are ignored). Returns a function that stops listening. Wire it
 * with {@link dropLocalCopies} so this context's memory layer forgets what changed elsewhere.
 */
export function listenForEvictions(
  channel: EventReceiver,
  source: string,
  onEvent: (event: CacheEvent) => void,
): () => void {
  const listener = (message: { data: unknown }): void => {
    const event = parseCacheEvent(message.data);
    if (event === null || event.source === source) return;
    onEvent(event);
  };
  channel.addEventListener('message', listener);
  return () => channel.removeEventListener('message', listener);
}

/** The part of `MemoryStorage` that {@link dropLocalCopies} needs. */
export interface LocalCopies {
  purge(key: CacheKey, type: PurgeType): Promise<boolean>;
  clear(): Promise<void>;
}

/**
 * An event callback that drops this context's in-memory copies of the keys another context
 * changed: any event makes them outdated (a new body, new meta, or gone), and `cleared` drops
 * everything. Failures go to `onError` (memory purges do not fail in practice).
 */
export function dropLocalCopies(
  memory: LocalCopies,
  onError: (error: unknown) => void = () => undefined,
): (event: CacheEvent) => void {
  return (event) => {
    if (event.type === 'cleared') {
      memory.clear().catch(onError);
      return;
    }
    for (const key of event.keys) memory.purge(key, 'eviction').catch(onError);
  };
}
