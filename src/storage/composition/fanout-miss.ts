/**
 * The composition's miss handler: writes every chunk to both layers. A layer that fails is
 * dropped (and reported) while the other goes on; the write fails only when every layer failed.
 */
import type { MissHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';

export type LayerName = 'l1' | 'l2';

interface LayerWrite {
  readonly layer: LayerName;
  handler: MissHandler | null;
  error?: unknown;
}

export class FanOutMissHandler implements MissHandler {
  readonly #writes: LayerWrite[];
  readonly #onError: (error: unknown, layer: LayerName) => void;

  constructor(
    l1: MissHandler | null,
    l2: MissHandler | null,
    onError: (error: unknown, layer: LayerName) => void,
  ) {
    this.#writes = [
      { layer: 'l1', handler: l1 },
      { layer: 'l2', handler: l2 },
    ];
    this.#onError = onError;
  }

  /** The layers still being written. */
  get activeLayers(): LayerName[] {
    return this.#writes.filter((w) => w.handler !== null).map((w) => w.layer);
  }

  async write(chunk: Uint8Array): Promise<void> {
    await Promise.all(
      this.#active().map((w) => w.handler.write(chunk).catch((e: unknown) => this.#drop(w, e))),
    );
    this.#throwIfAllFailed();
  }

  async finish(): Promise<number> {
    const sizes = await Promise.all(
      this.#active().map((w) =>
        w.handler.finish().then(
          (size) => size,
          (e: unknown) => {
            this.#drop(w, e);
            return undefined;
          },
        ),
      ),
    );
    this.#throwIfAllFailed();
    return sizes.find((s) => s !== undefined) ?? 0;
  }

  async abort(reason?: unknown): Promise<void> {
    await Promise.all(this.#active().map((w) => w.handler.abort(reason).catch(() => undefined)));
  }

  #active(): (LayerWrite & { handler: MissHandler })[] {
    return this.#writes.filter(
      (w): w is LayerWrite & { handler: MissHandler } => w.handler !== null,
    );
  }

  #drop(write: LayerWrite, error: unknown): void {
    const handler = write.handler;
    write.handler = null;
    write.error = error;
    this.#onError(error, write.layer);
    // Usually already aborted by its own failure; make sure nothing half-written stays.
    handler?.abort(error).catch(() => undefined);
  }

  #throwIfAllFailed(): void {
    if (this.#active().length > 0) return;
    const error = this.#writes.findLast((w) => w.error !== undefined)?.error;
    throw error instanceof StorageError
      ? error
      : new StorageError('every cache layer failed to store the body', { cause: error });
  }
}
