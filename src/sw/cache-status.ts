/**
 * The RFC 9211 `Cache-Status` response header: a Structured Field List (RFC 9651) of Items, one
 * per cache that handled the response, each a cache name with parameters. The member closest to
 * the page (ours) comes last. This module is the one reader of the header (the fake origin, the
 * e2e helpers, the bench and tools use it; the Structured Fields syntax comes from
 * `structured-headers`); the worker writes it with `cache-status-format.ts` alone, re-exported
 * here.
 */
import {
  parseList,
  serializeBareItem,
  Token,
  type BareItem,
  type Parameters,
} from 'structured-headers';

export {
  appendCacheStatus,
  CACHE_NAME,
  formatCacheStatus,
  type CacheStatus,
  type ForwardReason,
} from './cache-status-format.ts';

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
