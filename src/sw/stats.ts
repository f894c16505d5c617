/**
 * What the worker answered: counts by outcome, the body bytes the cache answered instead of the
 * origin, and the last outcome per URL (for the inspector's "phase of the last request"). Kept in
 * memory: it restarts with the worker, and `reset()` (on `clear()`) starts it again.
 */
import type { CachePhaseName } from '../core/phase.ts';
import { ownCacheStatus } from './respond.ts';

/** A GET or HEAD request the fetch flow answered, as it hands it to `record`. */
export interface AnsweredRequest {
  readonly request: Request;
  readonly response: Response;
  /** The request's last `HttpCache` phase. */
  readonly phase: CachePhaseName;
  readonly clientId: string;
}

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
  /** Body bytes of the answer when known (its `Content-Length`; 0 for HEAD). */
  readonly bytes?: number | undefined;
  /** The `FetchEvent.clientId` of the page (tab) that asked, when there is one. */
  readonly clientId?: string | undefined;
}

/**
 * The outcome of an answered request at `time`. Built by the control endpoint, not the flow, so
 * that a worker without the endpoint does not ship it.
 */
export function outcomeOf(
  { request, response, phase, clientId }: AnsweredRequest,
  time: number,
): RequestOutcome {
  return {
    url: request.url,
    method: request.method,
    phase,
    status: response.status,
    cacheStatus: ownCacheStatus(response),
    time,
    bytes: response.type === 'error' ? 0 : bodyBytes(request, response),
    clientId,
  };
}

/** The body bytes of an answer: its `Content-Length` (0 for HEAD), `undefined` when unknown. */
function bodyBytes(request: Request, response: Response): number | undefined {
  if (request.method === 'HEAD') return 0;
  const length = response.headers.get('content-length');
  if (length === null || !/^\d+$/.test(length)) return undefined;
  return Number(length);
}

export interface OutcomeCounts {
  /** Answered from cache without the origin (fresh, stale-while-revalidate). */
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

export type OutcomeListener = (outcome: RequestOutcome) => void;

export class RequestStats {
  private counts = { hits: 0, misses: 0, stale: 0, uncached: 0 };
  private saved = 0;
  private failures = { upstream: 0, storage: 0 };
  private readonly last = new Map<string, RequestOutcome>();
  private readonly listeners = new Set<OutcomeListener>();

  record(outcome: RequestOutcome): void {
    this.counts[bucketOf(outcome.phase)]++;
    if (bodyFromCache(outcome)) this.saved += outcome.bytes ?? 0;
    this.last.delete(outcome.url);
    this.last.set(outcome.url, outcome);
    if (this.last.size > MAX_TRACKED_URLS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    for (const listener of this.listeners) {
      try {
        listener(outcome);
      } catch {
        // A failing listener (a closed channel) must not cost the page its answer.
      }
    }
  }

  /** Calls `listener` with every outcome recorded from now on; returns the function that stops it. */
  subscribe(listener: OutcomeListener): () => void {
    const entry: OutcomeListener = (outcome) => listener(outcome);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** A body was not stored: the origin cut it (`upstream`) or storage failed (`store`). */
  storeFailed(cause: 'upstream' | 'store'): void {
    this.failures[cause === 'upstream' ? 'upstream' : 'storage']++;
  }

  /** Bodies not stored since the start (or the last reset), by who failed. */
  storeFailures(): { readonly upstream: number; readonly storage: number } {
    return { ...this.failures };
  }

  /** Forgets every count and last outcome (the cache was cleared). */
  reset(): void {
    this.counts = { hits: 0, misses: 0, stale: 0, uncached: 0 };
    this.saved = 0;
    this.failures = { upstream: 0, storage: 0 };
    this.last.clear();
  }

  totals(): OutcomeCounts {
    return { ...this.counts };
  }

  /**
   * Body bytes answered from storage instead of the origin: hits, stale-while-revalidate, 304
   * revalidations (the stored body is what the page got) and stale answers to an origin failure.
   */
  savedBytes(): number {
    return this.saved;
  }

  /** The last outcome for `url`, if it was requested since the worker started (or was reset). */
  lastOutcome(url: string): RequestOutcome | undefined {
    return this.last.get(url);
  }

  /** The hit ratio over every answer so far (0 when nothing was answered). */
  hitRatio(): number {
    const total = this.counts.hits + this.counts.misses + this.counts.stale + this.counts.uncached;
    return total === 0 ? 0 : this.counts.hits / total;
  }
}

/** How an answer is counted: `hits`, `misses`, `stale` or `uncached`. */
export function bucketOf(phase: CachePhaseName): keyof OutcomeCounts {
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

/** Whether the page got a stored body (not one the origin sent). */
function bodyFromCache({ phase, status }: RequestOutcome): boolean {
  if (status === 0) return false;
  return (
    phase === 'hit' || phase === 'stale-updating' || phase === 'revalidated' || phase === 'stale'
  );
}
