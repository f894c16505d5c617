/**
 * How far a write to IndexedDB in this context has come, so readers in this context can follow
 * it chunk by chunk while it is written (see `IdbFollowHitHandler`). Only the count of durable
 * chunks is kept here, never their bytes: followers read them back from IndexedDB.
 */
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import { StorageError } from '../../core/storage.ts';
import { signal } from '../signal.ts';

export type WriteProgressState = 'writing' | 'finished' | 'aborted';

export class WriteProgress {
  /** Chunks `0 … storedChunks - 1` are in IndexedDB. */
  #stored = 0;
  #size: number | undefined;
  #state: WriteProgressState = 'writing';
  #reason: unknown;
  #changed = signal();

  constructor(
    readonly key: CacheKey,
    readonly meta: CacheMeta,
    /** The write's body id. */
    readonly bodyId: string,
    readonly chunkSize: number,
  ) {}

  get state(): WriteProgressState {
    return this.#state;
  }

  get storedChunks(): number {
    return this.#stored;
  }

  /** The body size, once the write finished. */
  get size(): number | undefined {
    return this.#size;
  }

  /** Settles at the next change (more chunks, the end, or an abort). */
  get changed(): Promise<void> {
    return this.#changed.promise;
  }

  /** More chunks are durable. */
  stored(chunks: number): void {
    if (this.#state !== 'writing') return;
    this.#stored = chunks;
    this.#wake();
  }

  /** The write is complete: `chunks` chunks, `size` bytes. */
  finished(chunks: number, size: number): void {
    if (this.#state !== 'writing') return;
    this.#stored = chunks;
    this.#size = size;
    this.#state = 'finished';
    this.#wake();
  }

  /** The write failed or was aborted: followers must fail, never end short. */
  aborted(reason: unknown): void {
    if (this.#state !== 'writing') return;
    this.#state = 'aborted';
    this.#reason = reason;
    this.#wake();
  }

  /** Throws the abort as a `StorageError` once the write was aborted. */
  assertNotAborted(): void {
    if (this.#state === 'aborted') {
      throw new StorageError('the body write was aborted', { cause: this.#reason });
    }
  }

  #wake(): void {
    const changed = this.#changed;
    this.#changed = signal();
    changed.resolve();
  }
}
