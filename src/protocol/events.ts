/**
 * The cache's change events, as posted on the broadcast channel named
 * {@link eventChannelName}`(name)` to every context of the origin: other contexts drop their
 * in-memory copies of the keys, pages can follow what the cache does. Runtime-agnostic: the
 * channel itself is opened by the worker or page code.
 *
 * Messages cross a trust boundary (any same-origin script can post on the channel), so receivers
 * validate them with {@link parseCacheEvent}.
 */
import type { CacheKey } from '../core/key.ts';

/**
 * - `stored`: a new body was stored for each key (a miss finished, or a piece completed a
 *   sparse entry);
 * - `updated`: each key's meta was replaced (a revalidation);
 * - `evicted`: each key was removed to stay within the budget or the quota;
 * - `purged`: each key was removed on request (invalidation);
 * - `cleared`: the whole cache was emptied (`keys` is empty).
 */
export type CacheEventType = 'stored' | 'updated' | 'evicted' | 'purged' | 'cleared';

export const CACHE_EVENT_TYPES: readonly CacheEventType[] = [
  'stored',
  'updated',
  'evicted',
  'purged',
  'cleared',
];

/** A key as it travels in an event: a plain object, without `variance` when there is none. */
export interface CacheEventKey {
  readonly namespace: string;
  readonly primary: string;
  readonly variance?: string;
}

export interface CacheEvent {
  readonly type: CacheEventType;
  readonly keys: readonly CacheEventKey[];
  /** Identifies the context that posted the event, so it can ignore its own. */
  readonly source: string;
  /** Milliseconds since the epoch when it happened. */
  readonly time: number;
}

/** The channel name for the cache named `name` (the IndexedDB database name). */
export function eventChannelName(name: string): string {
  return `${name}:events`;
}

/** Builds an event with plain, structured-clone-safe keys. */
export function cacheEvent(
  type: CacheEventType,
  keys: readonly CacheKey[],
  source: string,
  time: number,
): CacheEvent {
  return { type, keys: keys.map(eventKey), source, time };
}

/** The key without anything but its three fields (`variance` only when set). */
export function eventKey(key: CacheKey): CacheEventKey {
  return key.variance === undefined
    ? { namespace: key.namespace, primary: key.primary }
    : { namespace: key.namespace, primary: key.primary, variance: key.variance };
}

/**
 * The event `data` describes, or `null` when anything in it is missing or of the wrong type.
 * Unknown extra fields are dropped. Never throws, whatever `data` is.
 */
export function parseCacheEvent(data: unknown): CacheEvent | null {
  try {
    return parse(data);
  } catch {
    // A hostile object (a throwing getter or proxy) is just malformed.
    return null;
  }
}

function parse(data: unknown): CacheEvent | null {
  if (!isRecord(data)) return null;
  const { type, keys, source, time } = data;
  if (!isEventType(type)) return null;
  if (typeof source !== 'string' || source === '') return null;
  if (typeof time !== 'number' || !Number.isFinite(time)) return null;
  if (!Array.isArray(keys)) return null;
  const parsed: CacheEventKey[] = [];
  for (const key of keys as unknown[]) {
    const valid = parseKey(key);
    if (valid === null) return null;
    parsed.push(valid);
  }
  return { type, keys: parsed, source, time };
}

function parseKey(data: unknown): CacheEventKey | null {
  if (!isRecord(data)) return null;
  const { namespace, primary, variance } = data;
  if (typeof namespace !== 'string' || typeof primary !== 'string') return null;
  if (variance !== undefined && typeof variance !== 'string') return null;
  return eventKey({ namespace, primary, variance });
}

function isEventType(value: unknown): value is CacheEventType {
  return typeof value === 'string' && (CACHE_EVENT_TYPES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
