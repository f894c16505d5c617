/**
 * A hit from the slower layer that copies the body into the faster one as the reader reads it:
 * the body is read once, and the reader never waits for a separate copy. The copy is abandoned
 * (never published half-written) when the reader seeks into part of the body, stops early, or
 * the faster layer refuses the write.
 *
 * A body handed over as a Blob (`blob()`) never passes through the reader: one of at most one
 * default chunk is copied from the Blob after it was handed over (read once more, in a task after
 * the response's), a larger one is not copied at all. Measured (docs/storage.md, "Chunk
 * format"): reading a 1 MB Blob back for the copy made the hit that triggered it 1.6× slower,
 * while a memory hit saves a third of a Blob hit; for small bodies the copy costs nothing visible.
 */
import type { HitHandler, MissHandler } from '../../core/storage.ts';

/** Largest body handed over as a Blob that is still copied into the faster layer (256 KiB). */
export const REFILL_FROM_BLOB_MAX_BYTES = 256 * 1024;

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

  // Forwarding getters like LayerFallbackHitHandler's, each over its own inner handler.
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

  /**
   * The inner hit's Blob. The copy, if still going (the whole body), is then made from the Blob
   * in the background when the body is small, else dropped.
   */
  async blob(): Promise<Blob | null> {
    let blob: Blob | null;
    try {
      blob = (await this.#inner.blob?.()) ?? null;
    } catch (error) {
      this.#abandon();
      throw error;
    }
    const refill = this.#refill;
    if (blob === null || refill === null) return blob;
    this.#refill = null;
    if (blob.size > REFILL_FROM_BLOB_MAX_BYTES) {
      refill.abort(new Error('refill dropped: the body is served as a Blob')).catch(this.#onError);
    } else {
      // After the response: the copy's read of the Blob and its bytes' copy are not in front of
      // the hit that handed the Blob over (bench/cpu-profile.mjs: ~1 ms in a just-started worker).
      setTimeout(() => void this.#refillFrom(blob, refill).catch(this.#onError), 0);
    }
    return blob;
  }

  async finish(): Promise<void> {
    this.#abandon();
    await this.#inner.finish();
  }

  async #refillFrom(blob: Blob, refill: MissHandler): Promise<void> {
    try {
      await refill.write(new Uint8Array(await blob.arrayBuffer()));
      await refill.finish();
    } catch (error) {
      await refill.abort(error).catch(() => undefined);
      throw error;
    }
  }

  #abandon(): void {
    const refill = this.#refill;
    this.#refill = null;
    refill?.abort(new Error('refill abandoned')).catch(this.#onError);
  }
}
