/**
 * The RFC 9211 `Cache-Status` response header: a Structured Field List (RFC 9651) of Items, one
 * per cache that handled the response, each a cache name with parameters. The member closest to
 * the page (ours) comes last. This module is the one writer and reader of the header: the worker,
 * the fake origin, the e2e helpers and the bench all use it, and the Structured Fields syntax
 * itself comes from `structured-headers`.
 */
import {
  isValidTokenStr,
  parseList,
  serializeBareItem,
  serializeKey,
  Token,
  type BareItem,
  type Parameters,
} from 'structured-headers';

/** RFC 9211 §2.2 `fwd` values. */
export type ForwardReason =
  'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale' | 'partial';

// Shaped like CacheControl (optional typed parameters) on purpose; the two headers share no field.
export interface CacheStatus {
  /** Served from cache without going to the origin (§2.1). */
  readonly hit?: boolean | undefined;
  /** Why the request went to the origin (§2.2). */
  readonly fwd?: ForwardReason | undefined;
  /** The status the origin answered with (§2.3). */
  readonly fwdStatus?: number | undefined;
  /** Seconds of freshness left; negative when stale (§2.4). */
  readonly ttl?: number | undefined;
  /** The response was stored (§2.5). */
  readonly stored?: boolean | undefined;
  /** The request was coalesced with another one (§2.6). */
  readonly collapsed?: boolean | undefined;
  /** The cache key, only when debugging (§2.7). */
  readonly key?: string | undefined;
  /** Free-form detail: a no-cache reason or the storage layer that served the hit (§2.8). */
  readonly detail?: string | undefined;
}

export const CACHE_NAME = 'sw-http-cache';

/** Serialises one list member as a Structured Field Item with parameters. */
export function formatCacheStatus(status: CacheStatus, name = CACHE_NAME): string {
  const params = new Map<string, BareItem>();
  if (status.hit) params.set('hit', true);
  if (status.fwd !== undefined) params.set('fwd', new Token(status.fwd));
  if (status.fwdStatus !== undefined) params.set('fwd-status', Math.trunc(status.fwdStatus));
  if (status.ttl !== undefined) params.set('ttl', Math.trunc(status.ttl));
  if (status.stored) params.set('stored', true);
  if (status.collapsed) params.set('collapsed', true);
  if (status.key !== undefined) params.set('key', printable(status.key));
  if (status.detail !== undefined) params.set('detail', tokenOrString(status.detail));
  return serializeMember([tokenOrString(name), params]);
}

/** Appends our member to whatever `Cache-Status` the response already carries. */
export function appendCacheStatus(existing: string | null, member: string): string {
  return existing === null || existing.trim() === '' ? member : `${existing}, ${member}`;
}

/** One member of a `Cache-Status` value, as read back. */
export interface CacheStatusMember {
  /** The cache that wrote this member, e.g. `sw-http-cache`. */
  cache: string;
  /** Served from cache without going to the origin. */
  hit: boolean;
  /** Why the request went forward: `uri-miss`, `vary-miss`, `miss`, `stale`, `request`… */
  fwd?: string | undefined;
  /** Status of the forwarded response, e.g. 304 after a successful revalidation. */
  fwdStatus?: number | undefined;
  /** Whether the forwarded response was stored. */
  stored: boolean;
  /** Whether the request was collapsed with another one for the same resource. */
  collapsed: boolean;
  /** Remaining freshness in seconds (negative when stale). */
  ttl?: number | undefined;
  key?: string | undefined;
  detail?: string | undefined;
  /**
   * Every parameter as written: tokens and strings as text, integers and decimals as numbers,
   * booleans (a bare flag is `true`) as booleans, any other type in its serialised form.
   */
  params: Record<string, string | number | boolean>;
}

/** A `Cache-Status` value that is not a Structured Field List of Items. */
export class CacheStatusError extends Error {
  override name = 'CacheStatusError';
}

/**
 * Every member of a `Cache-Status` value, in order (the first is the cache nearest the origin);
 * an empty or missing value has none. Throws `CacheStatusError` on a malformed value: RFC 9651
 * §4.2 has a recipient ignore a field that fails to parse, never read part of it.
 */
export function parseCacheStatusList(value: string | null): CacheStatusMember[] {
  return parseMembers(value ?? '').map(([name, params]) => {
    const read = Object.fromEntries([...params].map(([key, raw]) => [key, paramValue(raw)]));
    const text = (key: string) => (typeof read[key] === 'string' ? read[key] : undefined);
    const number = (key: string) => (typeof read[key] === 'number' ? read[key] : undefined);
    return {
      cache: name.toString(),
      hit: read['hit'] === true,
      fwd: text('fwd'),
      fwdStatus: number('fwd-status'),
      stored: read['stored'] === true,
      collapsed: read['collapsed'] === true,
      ttl: number('ttl'),
      key: text('key'),
      detail: text('detail'),
      params: read,
    };
  });
}

/**
 * Our member of a `Cache-Status` value: the last one, as the cache nearest the page, written as
 * `formatCacheStatus` writes it. Null when there is none or the value is malformed (the stats
 * and events that show it then show nothing rather than a fragment).
 */
export function ownCacheStatus(value: string | null): string | null {
  try {
    const last = parseMembers(value ?? '').at(-1);
    return last === undefined ? null : serializeMember(last);
  } catch (error) {
    if (error instanceof CacheStatusError) return null;
    throw error;
  }
}

/** A list member: the cache's name, then its parameters. */
type Member = [name: string | Token, params: Parameters];

function parseMembers(value: string): Member[] {
  let list;
  try {
    list = parseList(value);
  } catch (error) {
    throw new CacheStatusError(
      `malformed Cache-Status ${JSON.stringify(value)}: ${(error as Error).message}`,
    );
  }
  return list.map((member, index) => {
    const [name, params] = member; // an inner list's first element is an array
    if (Array.isArray(name) || !isName(name)) {
      throw new CacheStatusError(
        `Cache-Status member ${index} of ${JSON.stringify(value)} is not a cache name`,
      );
    }
    return [name, params];
  });
}

/** RFC 9211 §2: a cache is named by a token or a string. */
function isName(value: BareItem): value is string | Token {
  return typeof value === 'string' || value instanceof Token;
}

function paramValue(raw: BareItem): string | number | boolean {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return raw instanceof Token ? raw.toString() : serializeBareItem(raw);
}

/**
 * Writes `name; key; key=value` with a space after each `;` (RFC 9651 §3.1.2 allows it and the
 * header has always been written so); a bare flag is a `true` parameter (§4.1.1.2).
 */
function serializeMember([name, params]: Member): string {
  const parts = [serializeBareItem(name)];
  for (const [key, value] of params) {
    parts.push(
      value === true ? serializeKey(key) : `${serializeKey(key)}=${serializeBareItem(value)}`,
    );
  }
  return parts.join('; ');
}

function tokenOrString(value: string): Token | string {
  return isValidTokenStr(value) ? new Token(value) : printable(value);
}

/** An sf-string holds printable ASCII only (RFC 9651 §3.3.3): anything else becomes `?`. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}
