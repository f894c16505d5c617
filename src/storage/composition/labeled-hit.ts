/** A hit handler that reports the composition path of the layer that served it (`composition.idb`). */
import type { HitHandler } from '../../core/storage.ts';

export class LabeledHitHandler implements HitHandler {
  readonly source: string;
  readonly #inner: HitHandler;

  constructor(inner: HitHandler, source: string) {
    this.#inner = inner;
    this.source = source;
  }

  get canSeek(): boolean {
    return this.#inner.canSeek;
  }

  get size(): number | undefined {
    return this.#inner.size;
  }

  seek(start: number, end?: number): void {
    this.#inner.seek(start, end);
  }

  readBody(): Promise<Uint8Array | null> {
    return this.#inner.readBody();
  }

  blob(): Promise<Blob | null> {
    return this.#inner.blob?.() ?? Promise.resolve(null);
  }

  finish(): Promise<void> {
    return this.#inner.finish();
  }
}
