/**
 * A storage decorator that survives one quota error per body write: when a `write` or `finish`
 * fails with `QuotaExceededError`, it asks for room (`makeRoom`, which evicts and purges), then
 * starts the write again on a fresh miss handler, replays the chunks written so far, and retries
 * the operation. A second quota error, or any other error, propagates as a `StorageError`: the
 * fetch flow then stops caching the response (the page still gets all of it).
 *
 * The retry starts over because a failed write cannot go on: `IdbStorage` deletes a failed
 * write's chunks. So the chunks are kept for the replay, up to `maxReplayBytes`; a larger body
 * only makes room (for the next writes) and fails.
 *
 * Put it around the durable layer, inside the composition:
 * `new CompositionStorage(memory, new QuotaRetryStorage(idb, { makeRoom }))`. Around the
 * composition it would never see IndexedDB's quota errors, which the composition absorbs while
 * memory still takes the body.
 */
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import { declaredLength } from '../../core/meta.ts';
import type { MissHandler, Storage } from '../../core/storage.ts';
import { isQuotaExceeded, toStorageError } from '../errors.ts';
import { ForwardingStorage } from './forwarding.ts';

export interface QuotaRetryOptions {
  /**
   * Frees at least `bytes` of storage, e.g. evicts `eviction.evictBytes(bytes)` and purges those
   * keys. Called at most once per body write; `bytes` is the body size so far, or its
   * `Content-Length` when larger.
   */
  readonly makeRoom: (bytes: number) => Promise<void>;
  /** Largest body whose chunks are kept for a replay (default 8 MiB); larger ones are not retried. */
  readonly maxReplayBytes?: number;
}

export const DEFAULT_MAX_REPLAY_BYTES = 8 * 1024 * 1024;

export class QuotaRetryStorage extends ForwardingStorage {
  readonly #makeRoom: (bytes: number) => Promise<void>;
  readonly #maxReplayBytes: number;

  constructor(inner: Storage, options: QuotaRetryOptions) {
    super(inner);
    this.#makeRoom = options.makeRoom;
    this.#maxReplayBytes = options.maxReplayBytes ?? DEFAULT_MAX_REPLAY_BYTES;
  }

  // A follower of a write (`lookupWriteInProgress`, forwarded by the base) that hits a quota
  // error fails with it: the replay is a new write.

  override async getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    const first = await this.inner.getMissHandler(key, meta);
    return new QuotaRetryMissHandler(first, {
      restart: () => this.inner.getMissHandler(key, meta),
      makeRoom: this.#makeRoom,
      maxReplayBytes: this.#maxReplayBytes,
      contentLength: declaredLength(meta),
    });
  }
}

interface RetryContext {
  /** A fresh miss handler for the same key and meta. */
  readonly restart: () => Promise<MissHandler>;
  readonly makeRoom: (bytes: number) => Promise<void>;
  readonly maxReplayBytes: number;
  readonly contentLength: number | undefined;
}

/**
 * Keeps copies of the chunks written (while the body is small enough) so the write can start
 * over once after a quota error. A reader following the first write fails with it, so the retry
 * is meant for layers without streaming partial writes.
 */
class QuotaRetryMissHandler implements MissHandler {
  #current: MissHandler;
  readonly #context: RetryContext;
  /** Copies of the chunks written so far; `null` once over the limit or done. */
  #replay: Uint8Array[] | null = [];
  #written = 0;
  #retried = false;

  constructor(first: MissHandler, context: RetryContext) {
    this.#current = first;
    this.#context = context;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#remember(chunk);
    try {
      await this.#current.write(chunk);
    } catch (error) {
      // The replay writes this chunk too.
      await this.#startOver(error);
    }
  }

  async finish(): Promise<number> {
    try {
      return await this.#current.finish();
    } catch (error) {
      await this.#startOver(error);
      try {
        return await this.#current.finish();
      } catch (again) {
        await this.#current.abort(again).catch(() => undefined);
        throw toStorageError(again, 'finishing a body after making room');
      }
    } finally {
      this.#replay = null;
    }
  }

  abort(reason?: unknown): Promise<void> {
    this.#replay = null;
    return this.#current.abort(reason);
  }

  #remember(chunk: Uint8Array): void {
    this.#written += chunk.byteLength;
    if (this.#replay === null) return;
    if (this.#written > this.#context.maxReplayBytes) this.#replay = null;
    // A copy: the caller may reuse its buffer once the write resolved.
    else this.#replay.push(chunk.slice());
  }

  /**
   * After `error`: for a first quota error, makes room and replays the body on a fresh write;
   * otherwise throws. A body too large to replay still makes room, for the writes that follow.
   */
  async #startOver(error: unknown): Promise<void> {
    if (!isQuotaExceeded(error) || this.#retried) throw toStorageError(error, 'storing a body');
    this.#retried = true;
    const failed = this.#current;
    await failed.abort(error).catch(() => undefined);
    const needed = Math.max(this.#written, this.#context.contentLength ?? 0);
    const replay = this.#replay;
    if (replay === null) {
      await this.#context.makeRoom(needed).catch(() => undefined);
      throw toStorageError(error, 'storing a body too large to retry');
    }
    try {
      await this.#context.makeRoom(needed);
      this.#current = await this.#context.restart();
      for (const chunk of replay) await this.#current.write(chunk);
    } catch (again) {
      await this.#current.abort(again).catch(() => undefined);
      throw toStorageError(again, 'storing a body after making room');
    }
  }
}
