/** The hit handler of {@link MemoryStorage}: reads a {@link ChunkedBody}, following it while it is written. */
import type { HitHandler } from '../../core/storage.ts';
import type { ChunkedBody } from './chunked-body.ts';
import { checkedRange } from '../seek-range.ts';

export class MemoryHitHandler implements HitHandler {
  readonly source: string;
  readonly #body: ChunkedBody;
  #index = 0;
  /** Bytes to drop from the front of chunk `#index` (after a seek into its middle). */
  #skip = 0;
  /** Bytes still to return; unbounded until a seek sets an end. */
  #remaining = Number.POSITIVE_INFINITY;
  #released = false;

  constructor(body: ChunkedBody, source: string) {
    this.#body = body;
    this.source = source;
  }

  get canSeek(): boolean {
    return this.#body.state === 'complete';
  }

  get size(): number | undefined {
    return this.#body.state === 'complete' ? this.#body.size : undefined;
  }

  seek(start: number, end?: number): void {
    if (!this.canSeek) throw new RangeError('seek needs a complete body');
    const [from, to] = checkedRange(this.#body.size, start, end);
    this.#index = from < this.#body.size ? this.#body.chunkIndexOf(from) : this.#body.chunkCount;
    this.#skip = from - this.#body.offsetOf(this.#index);
    this.#remaining = to - from;
  }

  /** The next chunk; the returned bytes are shared with other readers and must not be modified. */
  async readBody(): Promise<Uint8Array | null> {
    if (this.#released || this.#remaining <= 0) return null;
    const chunk = await this.#body.chunkAt(this.#index);
    if (chunk === null) return null;
    this.#index++;
    let part = this.#skip > 0 ? chunk.subarray(this.#skip) : chunk;
    this.#skip = 0;
    if (part.byteLength > this.#remaining) part = part.subarray(0, this.#remaining);
    this.#remaining -= part.byteLength;
    return part;
  }

  finish(): Promise<void> {
    this.#released = true;
    return Promise.resolve();
  }
}
