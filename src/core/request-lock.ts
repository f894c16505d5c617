/**
 * The cache lock as one request holds it: nothing, a read lock on another request's fetch, or
 * the write permit. JavaScript has no destructor to release a forgotten permit (pingora's
 * `WritePermit` drop), so this keeps the rules that stop one from leaking.
 */
import type { CacheKey } from './key.ts';
import type { CacheLock, Locked, ReadLock, WritePermit } from './lock.ts';
import { LockStatus } from './lock.ts';

export class RequestLock {
  readonly #cacheLock: CacheLock | undefined;
  #held: Locked | undefined;

  constructor(cacheLock: CacheLock | undefined) {
    this.#cacheLock = cacheLock;
  }

  /** Whether this request waits for another one's fetch. */
  get isReader(): boolean {
    return this.#held?.kind === 'read';
  }

  /** Whether this request fetches for itself and its readers. */
  get isWriter(): boolean {
    return this.#held?.kind === 'write';
  }

  /**
   * Locks `key`, unless no lock is configured or this request already writes (locking again
   * would wait on itself). `stillWanted` is asked once the lock is granted: when the request has
   * moved on (disabled), a granted permit is released at once for another request to take.
   */
  async acquire(key: CacheKey, stillWanted: () => boolean): Promise<void> {
    if (this.#cacheLock === undefined || this.isWriter) return;
    const locked = await this.#cacheLock.lock(key);
    if (stillWanted()) this.#held = locked;
    else if (locked.kind === 'write') locked.release(LockStatus.TransientError);
  }

  /** Releases the write permit, if held, waking its readers with `status`. */
  releaseWrite(status: LockStatus): void {
    const held = this.#held;
    if (held?.kind !== 'write') return;
    this.#held = undefined;
    held.release(status);
  }

  /** Hands the write permit over; throws when this request does not hold it. */
  takeWrite(): WritePermit {
    const held = this.#held;
    if (held?.kind !== 'write') throw new Error('HttpCache: takeWriteLock() without a write lock');
    this.#held = undefined;
    return held;
  }

  /** Adopts a permit. A different permit held before is released as its drop would: `Dangling`. */
  setWrite(permit: WritePermit): void {
    const held = this.#held;
    if (held?.kind === 'write' && held !== permit) held.release(LockStatus.Dangling);
    this.#held = permit;
  }

  /** Takes the read lock to wait on it; throws when this request does not hold one. */
  takeRead(): ReadLock {
    const held = this.#held;
    if (held?.kind !== 'read') throw new Error('HttpCache: cacheLockWait() without a read lock');
    this.#held = undefined;
    return held;
  }

  /** Forgets a read lock (it needs no release). Release a write permit first. */
  clearRead(): void {
    if (this.#held?.kind === 'read') this.#held = undefined;
  }
}
