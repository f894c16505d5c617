/**
 * A hit from the slower layer that copies the body into the faster one as the reader reads it:
 * the body is read once, and the reader never waits for a separate copy. The copy is abandoned
 * (never published half-written) when the reader seeks into part of the body, stops early, or
 * the faster layer refuses the write.
 */
import type { HitHandler, MissHandler } from '../core/storage.ts';

export class RefillHitHandler implements HitHandler {
  readonly source: string;
  readonly #inner: HitHandler;
  readonly #onError: (error: unknown) => void;
  #refill: MissHandler | null;

  constructor(
    inner: HitHandler,
    source: string,
    refill: MissHandler,
    onError: (error: unknown) => void,
  ) {
    this.#inner = inner;
    this.source = source;
    this.#refill = refill;
    this.#onError = onError;
  }

  get canSeek(): boolean {
    return this.#inner.canSeek;
  }

  get size(): number | undefined {
    return this.#inner.size;
  }

  /** Whether the copy is still going (false once finished or abandoned). */
  get refilling(): boolean {
    return this.#refill !== null;
  }

  seek(start: number, end?: number): void {
    this.#inner.seek(start, end);
    const whole = start === 0 && (end === undefined || end === this.#inner.size);
    if (!whole) this.#abandon();
  }

  async readBody(): Promise<Uint8Array | null> {
    let chunk: Uint8Array | null;
    try {
      chunk = await this.#inner.readBody();
    } catch (error) {
      this.#abandon();
      throw error;
    }
    const refill = this.#refill;
    if (refill === null) return chunk;
    try {
      if (chunk === null) {
        this.#refill = null;
        await refill.finish();
      } else {
        await refill.write(chunk);
      }
    } catch (error) {
      // The copy failed (memory limit, ...): the reader still gets its body.
      this.#onError(error);
      this.#abandon();
    }
    return chunk;
  }

  async finish(): Promise<void> {
    this.#abandon();
    await this.#inner.finish();
  }

  #abandon(): void {
    const refill = this.#refill;
    this.#refill = null;
    refill?.abort(new Error('refill abandoned')).catch(this.#onError);
  }
}
