/**
 * Tries to take a Web Lock without queueing, and keeps it until told to let go: the callback's
 * promise stays pending for as long as the lock should be held.
 */
import type { LockManagerLike } from '../core/platform.ts';

export type HoldAttempt =
  /** Granted: the lock is held until `release()`. */
  | { readonly kind: 'held'; readonly release: () => void }
  /** Another holder has it. */
  | { readonly kind: 'busy' }
  /** The Web Locks API failed (for example a `SecurityError` in an opaque origin). */
  | { readonly kind: 'failed'; readonly error: unknown };

export function tryHoldWebLock(locks: LockManagerLike, name: string): Promise<HoldAttempt> {
  return new Promise<HoldAttempt>((decide) => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const onGranted = (lock: unknown): Promise<void> | undefined => {
      if (lock === null) {
        decide({ kind: 'busy' });
        return undefined;
      }
      decide({ kind: 'held', release });
      return held;
    };
    try {
      locks
        .request(name, { ifAvailable: true }, onGranted)
        .catch((error: unknown) => decide({ kind: 'failed', error }));
    } catch (error) {
      decide({ kind: 'failed', error });
    }
  });
}
