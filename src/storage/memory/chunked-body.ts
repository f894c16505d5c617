/**
 * A body held in memory as the list of chunks it arrived in, which readers can follow while it is
 * still being written (pingora's streaming partial write). Chunks are appended, never merged, so
 * memory stays one copy of the body whatever the number of readers.
 */
import { StorageError } from '../../core/storage.ts';
import { signal } from '../signal.ts';

export type BodyState = 'writing' | 'complete' | 'aborted';

export class ChunkedBody {
  readonly #chunks: Uint8Array[] = [];
  /** Byte offset at which each chunk starts, for `seek`. */
  readonly #offsets: number[] = [];
  #size = 0;
  #state: BodyState = 'writing';
  #abortReason: unknown;
  #changed = signal();

  get state(): BodyState {
    return this.#state;
  }

  /** Bytes written so far (the final size once complete). */
  get size(): number {
    return this.#size;
  }

  get chunkCount(): number {
    return this.#chunks.length;
  }

  append(chunk: Uint8Array): void {
    this.#assertWriting();
    if (chunk.byteLength === 0) return;
    this.#offsets.push(this.#size);
    // A copy: the writer may reuse its buffer, and readers must see what was written.
    this.#chunks.push(chunk.slice());
    this.#size += chunk.byteLength;
    this.#wake();
  }

  complete(): void {
    this.#assertWriting();
    this.#state = 'complete';
    this.#wake();
  }

  // Same shape as WriteProgress.aborted (IndexedDB); this one also drops the bytes it holds.
  abort(reason: unknown): void {
    if (this.#state !== 'writing') return;
    this.#state = 'aborted';
    this.#abortReason = reason;
    this.#chunks.length = 0;
    this.#offsets.length = 0;
    this.#wake();
  }

  /**
   * Chunk `index`, waiting for it while the body is being written; `null` past the end of a
   * complete body. Rejects once the write is aborted, so a follower never mistakes a cut body for
   * a whole one.
   */
  async chunkAt(index: number): Promise<Uint8Array | null> {
    while (this.#state === 'writing' && index >= this.#chunks.length) await this.#changed.promise;
    if (this.#state === 'aborted') {
      throw new StorageError('the body write was aborted', { cause: this.#abortReason });
    }
    return this.#chunks[index] ?? null;
  }

  /** Index of the chunk holding byte `offset` of a body (binary search over chunk offsets). */
  chunkIndexOf(offset: number): number {
    let low = 0;
    let high = this.#offsets.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.#offsets[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  offsetOf(index: number): number {
    return this.#offsets[index] ?? this.#size;
  }

  #assertWriting(): void {
    if (this.#state !== 'writing') throw new StorageError(`the body is already ${this.#state}`);
  }

  #wake(): void {
    const changed = this.#changed;
    this.#changed = signal();
    changed.resolve();
  }
}
