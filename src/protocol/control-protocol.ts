/**
 * The control protocol between a page and the cache worker: the hello that opens a connection,
 * the API the worker exposes over comlink on the connection's port, and the validators both sides
 * use. Runtime-agnostic (no DOM, no worker globals), so it is unit-tested under Node and shared by
 * `src/client` and `src/sw/control.ts`.
 *
 * Everything that arrives here crossed a message boundary: validators never trust a shape and
 * answer with a clear message instead of throwing something obscure later.
 */
import { normalizeUrl } from '../core/key.ts';

/** `type` of every message of the protocol. */
export const CONTROL_MESSAGE = 'sw-http-cache:control';
/** The protocol version a page sends in its hello; the worker refuses any other. */
export const CONTROL_PROTOCOL_VERSION = 1;

/**
 * Page → worker, no port: "claim this page". `clients.claim()` at activation skips a page whose
 * document was still loading then (a navigation or a reload that raced the first activation), and
 * that page stays uncontrolled until reloaded; `registerHttpCache` and `connectHttpCache` post this
 * to the active worker instead. `installHttpCache` answers it when its `clientsClaim` is on.
 */
export const CLAIM_MESSAGE = 'sw-http-cache:claim';

/** Page → worker, with one `MessagePort` transferred: "expose the control API on this port". */
export interface ControlHello {
  readonly type: typeof CONTROL_MESSAGE;
  readonly kind: 'hello';
  readonly version: number;
}

/** Worker → page, first message on the port: the API is exposed, or why it is not. */
export type ControlReply =
  | { readonly type: typeof CONTROL_MESSAGE; readonly kind: 'ready'; readonly version: number }
  | { readonly type: typeof CONTROL_MESSAGE; readonly kind: 'refused'; readonly error: string };

export function helloMessage(): ControlHello {
  return { type: CONTROL_MESSAGE, kind: 'hello', version: CONTROL_PROTOCOL_VERSION };
}

/** Whether `data` is a message `{ type }` (the control hello, a claim request, `SKIP_WAITING`). */
export function hasMessageType(data: unknown, type: string): boolean {
  return isRecord(data) && safeGet(data, 'type') === type;
}

/**
 * Whether `data` is addressed to the control protocol at all (other messages to the worker are
 * someone else's business and are left alone).
 */
export function isControlMessage(data: unknown): boolean {
  return hasMessageType(data, CONTROL_MESSAGE);
}

/** `null` when `data` is a hello the worker accepts, else the reason it is refused. */
export function helloError(data: unknown): string | null {
  if (!isRecord(data) || safeGet(data, 'type') !== CONTROL_MESSAGE) {
    return 'not a sw-http-cache control message';
  }
  if (safeGet(data, 'kind') !== 'hello') return 'expected a hello message';
  const version = safeGet(data, 'version');
  if (version !== CONTROL_PROTOCOL_VERSION) {
    // describe(), not String(): a hostile version ({ toString: {} }) must not make this throw.
    const shown = typeof version === 'number' ? String(version) : describe(version);
    return `unsupported control protocol version ${shown} (this worker speaks ${CONTROL_PROTOCOL_VERSION}); reload the page to load a matching client`;
  }
  return null;
}

/** The worker's reply, or `null` when `data` is not one. */
export function parseReply(data: unknown): ControlReply | null {
  if (!isRecord(data) || safeGet(data, 'type') !== CONTROL_MESSAGE) return null;
  const kind = safeGet(data, 'kind');
  if (kind === 'ready') {
    const version = safeGet(data, 'version');
    return typeof version === 'number' ? { type: CONTROL_MESSAGE, kind, version } : null;
  }
  if (kind === 'refused') {
    const error = safeGet(data, 'error');
    return typeof error === 'string' ? { type: CONTROL_MESSAGE, kind, error } : null;
  }
  return null;
}

/** What `purge` removes: one URL (every variant), every URL starting with a prefix, or a tag. */
export type PurgeTarget =
  string | URL | { readonly url: string } | { readonly prefix: string } | { readonly tag: string };

/** A purge target checked and with its URLs made absolute. */
export type ResolvedPurgeTarget =
  { readonly url: string } | { readonly prefix: string } | { readonly tag: string };

/**
 * Checks a purge target and resolves relative URLs against `base` (the page's or the worker's
 * location). Throws a `TypeError` that says what was expected.
 */
export function resolvePurgeTarget(target: unknown, base: string): ResolvedPurgeTarget {
  if (typeof target === 'string' || target instanceof URL) {
    return { url: absoluteUrl(String(target), base, 'purge(url)') };
  }
  if (isRecord(target)) {
    const keys = safeKeys(target);
    const url = safeGet(target, 'url');
    const prefix = safeGet(target, 'prefix');
    const tag = safeGet(target, 'tag');
    if (keys.length === 1 && typeof url === 'string' && url !== '') {
      return { url: absoluteUrl(url, base, 'purge({ url })') };
    }
    if (keys.length === 1 && typeof prefix === 'string' && prefix !== '') {
      return { prefix: absoluteUrl(prefix, base, 'purge({ prefix })') };
    }
    if (keys.length === 1 && typeof tag === 'string' && tag.trim() !== '') {
      return { tag: tag.trim() };
    }
  }
  throw new TypeError(
    `sw-http-cache: purge() expects a URL string, { url }, { prefix } or { tag } (strings), got ${describe(target)}`,
  );
}

/** Checks `setDebug`'s argument. */
export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`sw-http-cache: ${what} expects true or false, got ${describe(value)}`);
  }
  return value;
}

/** Counts of what the worker answered since it started, and what the cache holds. */
export interface CacheStats {
  /** Stored entries (each `Vary` variant counts once). */
  readonly entries: number;
  /** Stored body bytes. */
  readonly bytes: number;
  /** Answers from the cache without the origin (fresh, or stale while revalidating). */
  readonly hits: number;
  /** Answers fetched from the origin because nothing usable was stored. */
  readonly misses: number;
  /** Stored entries revalidated, replaced, or served because the origin failed. */
  readonly stale: number;
  /** Answers the cache did not store (not cacheable, bypassed). */
  readonly uncached: number;
  /** `hits` over every answer so far, 0 to 1 (0 before the first answer). */
  readonly hitRatio: number;
  /**
   * Body bytes the pages got from storage instead of the origin: hits, stale-while-revalidate,
   * 304 revalidations and stale answers to an origin failure (origin bytes saved).
   */
  readonly savedBytes: number;
  /** Bodies not stored because the origin failed mid-way (the page got a network error too). */
  readonly upstreamFailures: number;
  /** Bodies not stored because storage failed (the page still got the whole body). */
  readonly storageFailures: number;
  /** What the cache may keep before it evicts the least recently used entries. */
  readonly budget: { readonly maxBytes: number; readonly maxEntries: number };
}

/** One stored URL (its `Vary` variants together). */
export interface CacheEntryInfo {
  /** The normalised URL (the cache key). */
  readonly url: string;
  /** Body bytes of all its variants. */
  readonly size: number;
  /** HTTP status of the most recently stored variant. */
  readonly status: number;
  /** Until when the most recently stored variant is fresh, ms since the epoch. */
  readonly freshUntil: number;
  /** Whether it is fresh now. */
  readonly fresh: boolean;
  /** Last time any variant was stored or served, ms since the epoch. */
  readonly lastAccess: number;
  /** How many variants are stored (1 unless the response has `Vary`). */
  readonly variants: number;
  /** Tags from the `Cache-Tag` response header. */
  readonly tags: readonly string[];
  /**
   * The phase of the last request for this URL (`hit`, `miss`, `revalidated`, `stale-updating`…),
   * when one was answered since the worker started.
   */
  readonly lastPhase?: string;
  /**
   * `true` while this worker is storing a body for the URL (a miss or a replacement streaming
   * in). Then `size` is `bytesWritten`, and `fresh` is `false`: the body is not complete yet.
   */
  readonly writing: boolean;
  /** Bytes of the body in progress stored so far (0 when not `writing`). */
  readonly bytesWritten: number;
  /** The body's `Content-Length` while `writing`, `null` when the origin sent none. */
  readonly expectedBytes: number | null;
  /** Requests answered from the body in progress while it is written (0 when not `writing`). */
  readonly readers: number;
  /**
   * Set when only part of the body is stored (partial content, from 206 responses: a sparse
   * entry): `size` bytes of `length`.
   */
  readonly partial?: { readonly length: number };
}

/** The API the worker exposes on a control connection. Every method is idempotent. */
export interface ControlApi {
  stats(): Promise<CacheStats>;
  entries(): Promise<CacheEntryInfo[]>;
  /** Removes what the target names; resolves with the number of entries removed. */
  purge(target: ResolvedPurgeTarget): Promise<number>;
  clear(): Promise<void>;
  setDebug(on: boolean): Promise<void>;
  /**
   * Asks the worker to post each answer on the outcome channel for the next
   * `OUTCOME_LEASE_MS` (outcome-events.ts); a subscribed page renews it before then.
   */
  watchOutcomes(): Promise<void>;
}

export const CONTROL_METHODS: readonly (keyof ControlApi)[] = [
  'stats',
  'entries',
  'purge',
  'clear',
  'setDebug',
  'watchOutcomes',
];

function absoluteUrl(value: string, base: string, what: string): string {
  try {
    return normalizeUrl(value, base);
  } catch {
    throw new TypeError(`sw-http-cache: ${what} got an invalid URL ${JSON.stringify(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    try {
      return `an object with keys [${Object.keys(value).join(', ')}]`;
    } catch {
      return 'an object';
    }
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${value}`;
  }
  return typeof value; // undefined, symbol, function
}

function safeKeys(record: Record<string, unknown>): string[] {
  try {
    return Object.keys(record);
  } catch {
    return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property, or undefined when reading it throws (a hostile getter or proxy). */
function safeGet(record: Record<string, unknown>, name: string): unknown {
  try {
    return record[name];
  } catch {
    return undefined;
  }
}
