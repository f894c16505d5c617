/**
 * A range request's sparse entry, looked up beside its complete entry (`fetch-flow.ts`): the
 * pieces are needed only when the complete lookup misses, and then they have been read already,
 * so the first byte from the pieces waits for one IndexedDB transaction, not two in a row. The
 * lookup is used once, by the request's first pass: after waiting for a lock the entry may have
 * changed, and it is looked up again.
 */
import type { SparseLookup } from '../core/storage.ts';

export class SparseLookAhead {
  #found: Promise<SparseLookup | null> | undefined;

  constructor(found: Promise<SparseLookup | null>) {
    // A failure is seen by the caller that takes it; one nobody takes is of no interest.
    found.catch(() => undefined);
    this.#found = found;
  }

  /** The lookup, left for the caller that takes it; `undefined` once taken. */
  peek(): Promise<SparseLookup | null> | undefined {
    return this.#found;
  }

  /** The lookup, to the first caller; `undefined` after. */
  take(): Promise<SparseLookup | null> | undefined {
    const found = this.#found;
    this.#found = undefined;
    return found;
  }

  /** Releases the entry's reader when nobody took the lookup. */
  drop(): void {
    void this.take()?.then(
      (found) => found?.hit.finish(),
      () => undefined,
    );
  }
}
