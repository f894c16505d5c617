/**
 * One context's wait for a writer in another context, shared by all of this context's readers
 * of the key (they wait on the local permit this wait holds). It ends with the first of:
 *
 * - the writer's status on the channel ({@link RemoteWait.deliver});
 * - the writer's Web Lock becoming free with no status: the writer's context died, or the status
 *   is still in flight, so a short grace period is left for it before concluding `Dangling`
 *   (the channel and the lock manager do not promise to deliver in order);
 * - the local permit's timeout: `Timeout`.
 *
 * Whichever comes first releases the local permit with that status, which wakes the readers.
 */
import { LockStatus } from '../core/lock.ts';
import type { TablePermit } from './lock-table.ts';
import type { LockManagerLike } from '../core/platform.ts';
import type { ReleaseStatus } from './release-status.ts';

export interface RemoteWaitDeps {
  readonly locks: LockManagerLike;
  /** The Web Lock the other context's writer holds. */
  readonly lockName: string;
  /** How long to wait for a status after the Web Lock came free. */
  readonly graceMs: number;
  /** Called once when the wait ends, before the readers wake. */
  readonly onEnded: (wait: RemoteWait) => void;
  readonly log: (message: string, details?: unknown) => void;
}

export class RemoteWait {
  #ended = false;
  #grace: ReturnType<typeof setTimeout> | undefined;
  readonly #cancel = new AbortController();

  constructor(
    private readonly permit: TablePermit,
    private readonly deps: RemoteWaitDeps,
  ) {}

  /** Starts waiting for the Web Lock to come free (the status arrives through {@link deliver}). */
  start(): void {
    if (this.permit.expired.aborted) return this.#end(LockStatus.Timeout);
    this.permit.expired.addEventListener('abort', this.#onExpired);
    try {
      this.deps.locks
        .request(this.deps.lockName, { signal: this.#cancel.signal }, this.#onLockFree)
        .catch(this.#onRequestFailed);
    } catch (error) {
      this.#onRequestFailed(error);
    }
  }

  /** The writer's status arrived. */
  deliver(status: ReleaseStatus): void {
    this.#end(status);
  }

  /** Returns at once, so the Web Lock is let go as soon as it was granted. */
  readonly #onLockFree = (): void => {
    if (this.#ended) return;
    this.#grace = setTimeout(() => this.#end(LockStatus.Dangling), this.deps.graceMs);
  };

  readonly #onExpired = (): void => this.#end(LockStatus.Timeout);

  readonly #onRequestFailed = (error: unknown): void => {
    if (this.#ended) return; // our own abort after the wait ended
    this.deps.log('waiting for another context’s cache lock failed', error);
    this.#end(LockStatus.Dangling);
  };

  #end(status: ReleaseStatus): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#grace);
    this.permit.expired.removeEventListener('abort', this.#onExpired);
    this.#cancel.abort(); // drops the Web Lock request if it is still queued
    this.deps.onEnded(this);
    this.permit.release(status);
  }
}
