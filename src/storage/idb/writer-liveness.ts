/**
 * Whether the writer of a body in another context is still alive, by Web Locks: a writer that
 * other contexts may follow holds the lock `<name>:write:<bodyId>` from before its write becomes
 * visible until after its last transaction. The browser frees the lock when the writer's context
 * dies (worker stopped, tab closed), so a reader never waits on a dead writer's body, and a
 * lookup never offers one. Heartbeats alone could not tell: a writer stopped a second ago looks
 * as alive as one that is waiting for the network.
 */
import type { LockManagerLike } from '../../core/platform.ts';

/** The lock a writer of `bodyId` in database `dbName` holds while it writes. */
export function writerLockName(dbName: string, bodyId: string): string {
  return `${dbName}:write:${bodyId}`;
}

/** A held writer lock; {@link release} lets go of it (safe to call more than once). */
export class WriterLock {
  readonly #release: () => void;

  private constructor(release: () => void) {
    this.#release = release;
  }

  /** Resolves once the lock `name` is held (at once for a fresh body id). */
  static acquire(locks: LockManagerLike, name: string): Promise<WriterLock> {
    return new Promise<WriterLock>((resolve, reject) => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      locks
        .request(name, {}, () => {
          resolve(new WriterLock(release));
          return held;
        })
        .catch(reject);
    });
  }

  release(): void {
    this.#release();
  }
}

/** Whether some context holds the lock `name`; a failing query counts as alive (staleness bounds it). */
export async function isLockHeld(locks: LockManagerLike, name: string): Promise<boolean> {
  try {
    const { held = [] } = await locks.query();
    return held.some((lock) => lock.name === name);
  } catch {
    return true;
  }
}
