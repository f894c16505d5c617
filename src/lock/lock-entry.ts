/**
 * One key's turn in the {@link LockTable}: the outcome its readers wait for, and the deadline by
 * which its writer must release. One timer per key, not one per reader, cleared on release.
 */
import { LockStatus } from '../core/lock.ts';

export class LockEntry {
  /** Resolves once, with the writer's status or `Timeout`; every reader shares it. */
  readonly outcome: Promise<LockStatus>;
  #status: LockStatus = LockStatus.Waiting;
  #resolve: (status: LockStatus) => void = () => undefined;
  readonly #expiry = new AbortController();
  readonly #deadline: ReturnType<typeof setTimeout>;

  /**
   * @param timeoutMs how long the writer has before its readers give up.
   * @param onSettled called once when the entry settles, to free the key for a new writer.
   */
  constructor(
    timeoutMs: number,
    private readonly onSettled: (entry: LockEntry) => void,
  ) {
    this.outcome = new Promise((resolve) => (this.#resolve = resolve));
    this.#deadline = setTimeout(() => {
      if (this.settle(LockStatus.Timeout)) this.#expiry.abort();
    }, timeoutMs);
  }

  /** `Waiting` until the writer released or the deadline passed. */
  get status(): LockStatus {
    return this.#status;
  }

  /** Aborted when the deadline passed before the writer released. */
  get expired(): AbortSignal {
    return this.#expiry.signal;
  }

  /** Wakes the readers with `status`; false (and nothing happens) when already settled. */
  settle(status: LockStatus): boolean {
    if (this.#status !== LockStatus.Waiting) return false;
    this.#status = status;
    clearTimeout(this.#deadline);
    this.#resolve(status);
    this.onSettled(this);
    return true;
  }
}
