/**
 * Per-request outcomes as the worker posts them, while a page asked for them, on the broadcast
 * channel named {@link outcomeChannelName}`(name)`: what each answer was (its `Cache-Status`),
 * for which URL, when, and for which tab. Runtime-agnostic; the channel is opened by the worker
 * and page code.
 *
 * Any same-origin script can post on the channel, so receivers validate each message with
 * {@link parseOutcomeEvent}.
 */

/** How the worker sorts an answer (the same buckets as the stats' counts). */
export type OutcomeKind = 'hit' | 'miss' | 'stale' | 'uncached';

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['hit', 'miss', 'stale', 'uncached'];

export interface OutcomeEvent {
  readonly type: 'outcome';
  readonly kind: OutcomeKind;
  readonly url: string;
  readonly method: string;
  /** The HTTP status the page got (0: a network error). */
  readonly status: number;
  /** The cache's `Cache-Status` member for the answer, `null` when it added none. */
  readonly cacheStatus: string | null;
  /** The request's last cache phase (`hit`, `miss`, `revalidated`…). */
  readonly phase: string;
  /** Body bytes of the answer, when known. */
  readonly bytes: number | null;
  /** The `clientId` of the tab that asked (`''` when none, e.g. a navigation). */
  readonly clientId: string;
  /** Identifies the worker that answered. */
  readonly source: string;
  /** Milliseconds since the epoch when it was answered. */
  readonly time: number;
}

/** The channel name for the cache named `name`. */
export function outcomeChannelName(name: string): string {
  return `${name}:outcomes`;
}

/** How long one `watchOutcomes()` call keeps the worker posting outcomes, in ms. */
export const OUTCOME_LEASE_MS = 30_000;

/** The outcome `data` describes, or `null` when it is malformed. Never throws. */
export function parseOutcomeEvent(data: unknown): OutcomeEvent | null {
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const d = data as Record<string, unknown>;
    const { kind, url, method, status, cacheStatus, phase, bytes, clientId, source, time } = d;
    if (d['type'] !== 'outcome') return null;
    if (typeof kind !== 'string' || !(OUTCOME_KINDS as readonly string[]).includes(kind)) {
      return null;
    }
    if (typeof url !== 'string' || typeof method !== 'string' || typeof phase !== 'string') {
      return null;
    }
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 0) return null;
    if (cacheStatus !== null && typeof cacheStatus !== 'string') return null;
    if (bytes !== null && !(typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0)) {
      return null;
    }
    if (typeof clientId !== 'string' || typeof source !== 'string' || source === '') return null;
    if (typeof time !== 'number' || !Number.isFinite(time)) return null;
    return {
      type: 'outcome',
      kind: kind as OutcomeKind,
      url,
      method,
      status,
      cacheStatus,
      phase,
      bytes,
      clientId,
      source,
      time,
    };
  } catch {
    return null; // a hostile object (a throwing getter or proxy) is just malformed
  }
}
