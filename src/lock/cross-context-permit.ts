/**
 * The write permit of a {@link CrossContextLock}: the local table permit plus the Web Lock that
 * keeps other contexts out. Releasing announces the status on the channel, wakes the local
 * readers, and only then lets go of the Web Lock, so a remote reader that finds the lock free
 * has usually received the status already.
 *
 * If the local timeout passes first, the Web Lock is let go at once and nothing is announced:
 * other contexts elect a new writer (they see `Dangling`), as local requests do after a timeout.
 *
 * A `Done` release of a key whose write other contexts cannot follow (held in
 * {@link RemoteWakeHolds}) wakes the local readers at once and the other contexts only when the
 * write ended, with how it ended; if that takes longer than the lock's timeout, the Web Lock is
 * let go unannounced, as above.
 */
import type { LockStatus, WritePermit } from '../core/lock.ts';
import { LockStatus as Status } from '../core/lock.ts';
import type { RemoteWakeHolds } from '../core/remote-wake-holds.ts';
import { onPermitDropped } from './dropped-permit.ts';
import type { TablePermit } from './lock-table.ts';
import type { ReleaseStatus } from './release-status.ts';
import { assertReleaseStatus } from './release-status.ts';

export interface CrossContextPermit extends WritePermit {
  /** Releases as `Dangling` unless released already: the writer's work ended without a release. */
  dispose(): void;
}

/** Where a permit finds the writes whose other-context readers wait for the end. */
export interface HeldWakes {
  readonly holds: RemoteWakeHolds;
  /** The most a held wake may wait, in ms (the lock's timeout). */
  readonly timeoutMs: number;
}

/** The permit a {@link CrossContextLock} gives its writer. */
export class CrossContextWritePermit implements CrossContextPermit {
  readonly kind = 'write';
  readonly #writer: Writer;
  readonly #unwatch: () => void;

  /** `announce` posts the status to the other contexts. */
  constructor(
    local: TablePermit,
    releaseWebLock: () => void,
    announce: (status: ReleaseStatus) => void,
    held?: HeldWakes,
  ) {
    this.#writer = new Writer(local, releaseWebLock, announce, held);
    this.#unwatch = onPermitDropped(this, danglingRelease(this.#writer));
  }

  release(status: LockStatus): void {
    assertReleaseStatus(status);
    this.#unwatch();
    this.#writer.release(status);
  }

  dispose(): void {
    this.release(Status.Dangling);
  }
}

/** Outside the class so that the closure cannot keep the permit alive. */
function danglingRelease(writer: Writer): () => void {
  return () => writer.release(Status.Dangling);
}

/** The permit's state, kept apart from the permit object so that dropping the permit is seen. */
class Writer {
  #released = false;

  constructor(
    private readonly local: TablePermit,
    private readonly releaseWebLock: () => void,
    private readonly announce: (status: ReleaseStatus) => void,
    private readonly held: HeldWakes | undefined,
  ) {
    if (local.expired.aborted) releaseWebLock();
    else local.expired.addEventListener('abort', releaseWebLock, { once: true });
  }

  release(status: ReleaseStatus): void {
    if (this.#released) return;
    this.#released = true;
    this.local.expired.removeEventListener('abort', this.releaseWebLock);
    const expired = this.local.expired.aborted;
    const held = status === Status.Done && !expired ? this.held : undefined;
    const ended = held?.holds.ended(this.local.hash);
    if (held !== undefined && ended !== undefined) {
      this.local.release(status);
      this.#wakeOthersWhen(ended, held.timeoutMs);
      return;
    }
    if (!expired) this.announce(status);
    this.local.release(status);
    this.releaseWebLock();
  }

  /** Announces how the held write ended and lets go of the Web Lock, or only lets go at the timeout. */
  #wakeOthersWhen(ended: Promise<ReleaseStatus>, timeoutMs: number): void {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.releaseWebLock();
    }, timeoutMs);
    void ended.then((end) => {
      if (timedOut) return;
      clearTimeout(deadline);
      this.announce(end);
      this.releaseWebLock();
    });
  }
}
