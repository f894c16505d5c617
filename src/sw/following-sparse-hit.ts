/**
 * A reader of a sparse entry that follows the bytes being downloaded into it: when a read
 * reaches a byte not held yet and a download in flight will bring it (`pieces-in-flight.ts`), it
 * waits for that download and reads again. When the entry has meanwhile become a complete entry
 * (its pieces are deleted once every byte is there), it goes on reading that entry instead.
 */
import type { HitHandler } from '../core/storage.ts';
import { StorageError } from '../core/storage.ts';
import type { PiecesInFlight } from './pieces-in-flight.ts';

/**
 * A reader of the same representation that holds every byte from `start` to `end`, already
 * seeked there, or `null` when there is none.
 */
export type Reopen = (start: number, end: number) => Promise<HitHandler | null>;

/** Reopens in a row without a byte read in between, before the read fails (a racing purge). */
const MAX_REOPENS = 3;

export class FollowingSparseHit implements HitHandler {
  readonly canSeek = true;
  readonly size: number;
  readonly #inFlight: PiecesInFlight;
  readonly #entry: string;
  readonly #reopen: Reopen;
  readonly #onRelease: (() => void) | undefined;
  #inner: HitHandler;
  #position = 0;
  #end: number;
  #reopens = 0;

  /** `size`: the representation's length; `onRelease` runs when the reader is released. */
  constructor(
    inner: HitHandler,
    size: number,
    inFlight: PiecesInFlight,
    entry: string,
    reopen: Reopen,
    onRelease?: () => void,
  ) {
    this.#onRelease = onRelease;
    this.#inner = inner;
    this.size = size;
    this.#end = size;
    this.#inFlight = inFlight;
    this.#entry = entry;
    this.#reopen = reopen;
  }

  get source(): string {
    return this.#inner.source;
  }

  seek(start: number, end = this.size): void {
    this.#inner.seek(start, end);
    this.#position = start;
    this.#end = end;
  }

  async readBody(): Promise<Uint8Array | null> {
    for (;;) {
      try {
        const chunk = await this.#inner.readBody();
        if (chunk !== null) this.#position += chunk.byteLength;
        this.#reopens = 0;
        return chunk;
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        if (await this.#inFlight.waitFor(this.#entry, this.#position)) {
          this.#inner.seek(this.#position, this.#end);
          continue;
        }
        const other =
          this.#reopens < MAX_REOPENS ? await this.#reopen(this.#position, this.#end) : null;
        if (other === null) throw error;
        this.#reopens++;
        await this.#inner.finish();
        this.#inner = other;
      }
    }
  }

  finish(): Promise<void> {
    this.#onRelease?.();
    return this.#inner.finish();
  }
}
