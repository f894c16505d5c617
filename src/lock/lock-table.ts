/**
 * The cache lock inside one worker (pingora `CacheLock`): the first `lock(key)` gets the write
 * permit, everyone after it a read lock that resolves with the status the writer releases with.
 * Keys are compared by {@link variantHash}; a hash collision only makes two URLs share a turn.
 *
 * A writer has `timeoutMs` to release. When the time runs out its readers wake with `Timeout`
 * (and fetch uncached) and the key is free again, so a stuck or leaked writer cannot hold a key
 * forever (pingora's lock age timeout); its late release is then a no-op.
 */
import type { CacheKey } from '../core/key.ts';
import { variantHash } from '../core/key.ts';
import type { CacheLock, LockStatus, ReadLock, WritePermit } from '../core/lock.ts';
import { LockStatus as Status } from '../core/lock.ts';
import { onPermitDropped } from './dropped-permit.ts';
import { LockEntry } from './lock-entry.ts';
import { assertReleaseStatus } from './release-status.ts';

/** How long a writer may hold a key by default, in milliseconds. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

export interface LockTableOptions {
  /**
   * How long a writer may hold a key: its readers wait at most this long from the moment the
   * permit was granted, then wake with `Timeout`, and the next `lock()` elects a new writer.
   * Default {@link DEFAULT_LOCK_TIMEOUT_MS}.
   */
  readonly timeoutMs?: number;
}

/** The write permit of a {@link LockTable}. */
export interface TablePermit extends WritePermit {
  /** `variantHash` of the locked key. */
  readonly hash: string;
  /** Aborted when the timeout passed before the release (the readers got `Timeout`). */
  readonly expired: AbortSignal;
  /**
   * Ends the permit's owner lifetime: releases it as `Dangling` unless it was released already.
   * Call it in a `finally` around the writer's work.
   */
  dispose(): void;
  /** A read lock on this permit's outcome, for a holder that waits like a reader instead. */
  reader(): ReadLock;
}

export type TableLocked = TablePermit | ReadLock;

export class LockTable implements CacheLock {
  readonly timeoutMs: number;
  readonly #entries = new Map<string, LockEntry>();

  constructor(options: LockTableOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
    }
    this.timeoutMs = timeoutMs;
  }

  /** Number of keys with a writer right now. */
  get size(): number {
    return this.#entries.size;
  }

  lock(key: CacheKey): Promise<TableLocked> {
    return Promise.resolve(this.lockNow(key));
  }

  /** {@link lock} without the promise: the table decides synchronously. */
  lockNow(key: CacheKey): TableLocked {
    const hash = variantHash(key);
    const current = this.#entries.get(hash);
    if (current !== undefined) return new TableReadLock(current);
    const entry = new LockEntry(this.timeoutMs, (settled) => {
      if (this.#entries.get(hash) === settled) this.#entries.delete(hash);
    });
    this.#entries.set(hash, entry);
    return new TableWritePermit(hash, entry);
  }
}

class TableReadLock implements ReadLock {
  readonly kind = 'read';

  constructor(private readonly entry: LockEntry) {}

  wait(): Promise<LockStatus> {
    return this.entry.outcome;
  }
}

class TableWritePermit implements TablePermit {
  readonly kind = 'write';
  readonly #entry: LockEntry;
  readonly #unwatch: () => void;

  constructor(
    readonly hash: string,
    entry: LockEntry,
  ) {
    this.#entry = entry;
    this.#unwatch = onPermitDropped(this, danglingRelease(entry));
  }

  get expired(): AbortSignal {
    return this.#entry.expired;
  }

  // Parallel to CrossContextWritePermit.release: one contract, a local entry instead of a writer.
  release(status: LockStatus): void {
    assertReleaseStatus(status);
    this.#unwatch();
    this.#entry.settle(status);
  }

  dispose(): void {
    this.release(Status.Dangling);
  }

  reader(): ReadLock {
    return new TableReadLock(this.#entry);
  }
}

/** Outside the class so that the closure cannot keep the permit alive. */
function danglingRelease(entry: LockEntry): () => void {
  return () => void entry.settle(Status.Dangling);
}
