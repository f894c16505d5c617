/**
 * Writes that readers in other contexts cannot follow while they are written, shared by the
 * storage that makes them and the cache lock that wakes those readers.
 *
 * Letting another context follow a write costs it a second Web Lock and a read-write
 * transaction before its response starts, and read-write transactions on one store run one at
 * a time: the admission of many small entries halves. A body that lands in one transaction
 * gains nothing from being followed (it becomes readable all at once, at the finish), so the
 * storage does not register it and holds its key here instead. The cache lock, released as
 * `Done` when such a write starts, then wakes this context's readers at once (they follow the
 * memory copy) and the other contexts' readers only when the hold ends: they find the complete
 * entry instead of downloading it again.
 */
import type { LockStatus } from './lock.ts';

/** How a held write ended: stored (`Done`) or not (`TransientError`: a reader may write). */
export type HeldWriteEnd = typeof LockStatus.Done | typeof LockStatus.TransientError;

export class RemoteWakeHolds {
  readonly #holds = new Map<string, Promise<HeldWriteEnd>>();

  /**
   * Holds the other contexts' readers of the key with variant hash `hash` until the returned
   * function is called with how the write ended (later calls do nothing).
   */
  hold(hash: string): (end: HeldWriteEnd) => void {
    let settle: (end: HeldWriteEnd) => void = () => undefined;
    const ended = new Promise<HeldWriteEnd>((resolve) => (settle = resolve));
    this.#holds.set(hash, ended);
    return (end) => {
      if (this.#holds.get(hash) === ended) this.#holds.delete(hash);
      settle(end);
    };
  }

  /** How the held write of `hash` ended, once it has; `undefined` when none is held. */
  ended(hash: string): Promise<HeldWriteEnd> | undefined {
    return this.#holds.get(hash);
  }
}
