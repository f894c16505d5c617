/**
 * A miss handler that refuses bodies over a byte limit (pingora `MaxFileSizeMissHandler`).
 * `HttpCache.setMissHandler` wraps the storage's handler with it when the request set a
 * maximum with `setMaxFileSizeBytes`.
 */
import { NoCacheReason } from './phase.ts';
import type { MissHandler } from './storage.ts';

/**
 * The body grew past the request's maximum cacheable size. The caller should stop caching with
 * `cache.disable(error.reason)` (which releases the lock as `GiveUp`) and keep serving the
 * response from the network.
 */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly reason = NoCacheReason.ResponseTooLarge;
  constructor(
    readonly maxFileSizeBytes: number,
    readonly attemptedBytes: number,
  ) {
    super(
      `the response body (at least ${attemptedBytes} bytes) exceeds the maximum cacheable size of ${maxFileSizeBytes} bytes`,
    );
  }
}

export class MaxFileSizeMissHandler implements MissHandler {
  readonly #inner: MissHandler;
  readonly maxFileSizeBytes: number;
  #written = 0;
  #exceeded: ResponseTooLargeError | undefined;

  constructor(inner: MissHandler, maxFileSizeBytes: number) {
    this.#inner = inner;
    this.maxFileSizeBytes = maxFileSizeBytes;
  }

  /** Whether a write went over the limit; the body can then never be finished. */
  get exceeded(): boolean {
    return this.#exceeded !== undefined;
  }

  async write(chunk: Uint8Array): Promise<void> {
    // Unlike pingora, an overflow is sticky: a later, smaller chunk must not be written after the
    // refused one, or the stored body would silently miss bytes.
    if (this.#exceeded !== undefined) throw this.#exceeded;
    const total = this.#written + chunk.byteLength;
    if (total > this.maxFileSizeBytes) {
      this.#exceeded = new ResponseTooLargeError(this.maxFileSizeBytes, total);
      throw this.#exceeded;
    }
    this.#written = total;
    await this.#inner.write(chunk);
  }

  async finish(): Promise<number> {
    // A refused body is incomplete: never let storage make it visible.
    if (this.#exceeded !== undefined) throw this.#exceeded;
    return this.#inner.finish();
  }

  abort(reason?: unknown): Promise<void> {
    return this.#inner.abort(reason);
  }
}
