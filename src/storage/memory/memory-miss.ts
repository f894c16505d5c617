/** The miss handler of {@link MemoryStorage}: appends to a {@link ChunkedBody} that readers can follow. */
import type { MissHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import type { ChunkedBody } from './chunked-body.ts';

/** How the storage accounts for and publishes one write. */
export interface MemoryWriteHooks {
  /** Reserves room for `bytes` more; throws a `StorageError` when the body may not grow. */
  reserve(bytes: number): void;
  /** The write finished: make it the entry of its key. */
  published(): void;
  /** The write was aborted: forget it. */
  discarded(): void;
}

export class MemoryMissHandler implements MissHandler {
  readonly #body: ChunkedBody;
  readonly #hooks: MemoryWriteHooks;

  constructor(body: ChunkedBody, hooks: MemoryWriteHooks) {
    this.#body = body;
    this.#hooks = hooks;
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.#body.state !== 'writing') {
      return Promise.reject(new StorageError(`write after the body was ${this.#body.state}`));
    }
    try {
      this.#hooks.reserve(chunk.byteLength);
    } catch (error) {
      // Too big for memory: followers must fail now rather than wait for a body that never ends.
      this.#end(error);
      return Promise.reject(error instanceof Error ? error : new StorageError(String(error)));
    }
    this.#body.append(chunk);
    return Promise.resolve();
  }

  finish(): Promise<number> {
    if (this.#body.state !== 'writing') {
      return Promise.reject(new StorageError(`finish after the body was ${this.#body.state}`));
    }
    this.#body.complete();
    this.#hooks.published();
    return Promise.resolve(this.#body.size);
  }

  abort(reason?: unknown): Promise<void> {
    this.#end(reason ?? new StorageError('the write was aborted'));
    return Promise.resolve();
  }

  #end(reason: unknown): void {
    if (this.#body.state !== 'writing') return;
    this.#body.abort(reason);
    this.#hooks.discarded();
  }
}
