/**
 * Write-back of access times (imago's `AsyncLruCache` idea): a hit records its time in memory, and
 * the times are written to IndexedDB in batches, one transaction per flush, never one per hit.
 * The writer only updates entries that still exist, so a late flush never revives a purged entry.
 */

export class AccessWriteBack {
  readonly #write: (batch: ReadonlyMap<string, number>) => Promise<void>;
  readonly #delayMs: number;
  #pending = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();

  /** `write` persists one batch (variant hash → last access) in one transaction. */
  constructor(write: (batch: ReadonlyMap<string, number>) => Promise<void>, delayMs: number) {
    this.#write = write;
    this.#delayMs = delayMs;
  }

  /** Records an access; the batch is flushed `delayMs` after its first access. */
  record(hash: string, at: number): void {
    this.#pending.set(hash, Math.max(at, this.#pending.get(hash) ?? 0));
    this.#timer ??= setTimeout(() => {
      // A failed background flush keeps its batch for the next flush; nothing to report here.
      this.flush().catch(() => undefined);
    }, this.#delayMs);
  }

  /** The not yet flushed access time of `hash`. */
  pending(hash: string): number | undefined {
    return this.#pending.get(hash);
  }

  /** Drops the pending access of a purged entry. */
  forget(hash: string): void {
    this.#pending.delete(hash);
  }

  forgetAll(): void {
    this.#pending.clear();
  }

  /** Writes every pending access now (shutdown, tests); flushes run one after another. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = new Map();
    const run = this.#flushing.then(() => (batch.size === 0 ? undefined : this.#write(batch)));
    this.#flushing = run.catch(() => {
      // Keep the failed batch (without overwriting newer accesses) for the next flush.
      for (const [hash, at] of batch)
        this.#pending.set(hash, Math.max(at, this.#pending.get(hash) ?? 0));
    });
    return run;
  }
}
