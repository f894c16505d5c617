/**
 * The write permit of a {@link CrossContextLock}: the local table permit plus the Web Lock that
 * keeps other contexts out. Releasing announces the status on the channel, wakes the local
 * readers, and only then lets go of the Web Lock, so a remote reader that finds the lock free
 * has usually received the status already.
 *
 * If the local timeout passes first, the Web Lock is let go at once and nothing is announced:
 * other contexts elect a new writer (they see `Dangling`), as local requests do after a timeout.
 */
import type { LockStatus, WritePermit } from '../core/lock.ts';
import { LockStatus as Status } from '../core/lock.ts';
import { onPermitDropped } from './dropped-permit.ts';
import type { TablePermit } from './lock-table.ts';
import type { ReleaseStatus } from './release-status.ts';
import { assertReleaseStatus } from './release-status.ts';

export interface CrossContextPermit extends WritePermit {
  /** Releases as `Dangling` unless released already: the writer's work ended without a release. */
  dispose(): void;
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
  ) {
    this.#writer = new Writer(local, releaseWebLock, announce);
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
  ) {
    if (local.expired.aborted) releaseWebLock();
    else local.expired.addEventListener('abort', releaseWebLock, { once: true });
  }

  release(status: ReleaseStatus): void {
    if (this.#released) return;
    this.#released = true;
    this.local.expired.removeEventListener('abort', this.releaseWebLock);
    if (!this.local.expired.aborted) this.announce(status);
    this.local.release(status);
    this.releaseWebLock();
  }
}
