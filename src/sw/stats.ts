/**
 * What the worker answered: counts by outcome, and the last outcome per URL (for the dashboard's
 * "phase of the last request"). Kept in memory: it restarts with the worker.
 */
import type { CachePhaseName } from '../core/phase.ts';

export interface RequestOutcome {
  readonly url: string;
  readonly method: string;
  /** The request's last `HttpCache` phase (`hit`, `miss`, `stale-updating`, `revalidated`…). */
  readonly phase: CachePhaseName;
  /** The HTTP status the page got (0 for a network error). */
  readonly status: number;
  /** Our `Cache-Status` member, or `null` when the worker did not add one. */
  readonly cacheStatus: string | null;
  readonly time: number;
}

export interface OutcomeCounts {
  /** Answered from cache without the origin (fresh, stale-while-revalidate, allowed stale). */
  readonly hits: number;
  /** Fetched from the origin: nothing usable was stored. */
  readonly misses: number;
  /** A stored entry was revalidated or replaced, or served because the origin failed. */
  readonly stale: number;
  /** Not cacheable or bypassed: the origin answered and nothing was stored. */
  readonly uncached: number;
}

/** How many URLs keep their last outcome; the oldest is forgotten first. */
const MAX_TRACKED_URLS = 1_000;

export class RequestStats {
  private readonly counts = { hits: 0, misses: 0, stale: 0, uncached: 0 };
  private readonly last = new Map<string, RequestOutcome>();

  record(outcome: RequestOutcome): void {
    this.counts[bucketOf(outcome.phase)]++;
    this.last.delete(outcome.url);
    this.last.set(outcome.url, outcome);
    if (this.last.size > MAX_TRACKED_URLS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
  }

  totals(): OutcomeCounts {
    return { ...this.counts };
  }

  /** The last outcome for `url`, if it was requested since the worker started. */
  lastOutcome(url: string): RequestOutcome | undefined {
    return this.last.get(url);
  }

  /** The hit ratio over every answer so far (0 when nothing was answered). */
  hitRatio(): number {
    const total = this.counts.hits + this.counts.misses + this.counts.stale + this.counts.uncached;
    return total === 0 ? 0 : this.counts.hits / total;
  }
}

function bucketOf(phase: CachePhaseName): keyof OutcomeCounts {
  switch (phase) {
    case 'hit':
    case 'stale-updating':
      return 'hits';
    case 'miss':
      return 'misses';
    case 'stale':
    case 'expired':
    case 'revalidated':
    case 'revalidated-nocache':
      return 'stale';
    default:
      return 'uncached';
  }
}
