/**
 * Conditional requests: the validators the cache sends when it revalidates (RFC 9111 §4.3.1),
 * and the page's own `If-None-Match` / `If-Modified-Since` answered from a stored response
 * (RFC 9111 §4.3.2, RFC 9110 §13.1.2, §13.1.3, §13.2.2).
 */

import type { CacheMeta } from '../meta.ts';
import { getCombinedHeader } from '../meta.ts';
import { parseHttpDate } from './dates.ts';
import { responseDate } from './freshness.ts';

/**
 * Headers that turn a request into a revalidation of `meta` (RFC 9111 §4.3.1):
 * `If-None-Match` with the stored `ETag` (MUST when there is one) and `If-Modified-Since` with
 * the stored `Last-Modified` (SHOULD when it is the only validator; sent with an ETag as well,
 * like browsers do — the origin gives `If-None-Match` precedence, RFC 9110 §13.2.2). A
 * `Last-Modified` that is not a valid HTTP-date is not sent.
 */
export function revalidationHeaders(
  meta: Pick<CacheMeta, 'validators' | 'responseTime'>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const { etag, lastModified } = meta.validators;
  if (etag !== undefined && parseEntityTag(etag) !== null) headers['if-none-match'] = etag.trim();
  if (lastModified !== undefined && parseHttpDate(lastModified, meta.responseTime) !== null) {
    headers['if-modified-since'] = lastModified.trim();
  }
  return headers;
}

/** An entity-tag split into its weakness and opaque part (RFC 9110 §8.8.3). */
export interface EntityTag {
  readonly weak: boolean;
  /** The opaque-tag including its double quotes. */
  readonly opaque: string;
}

/** Parses one entity-tag (`"x"` or `W/"x"`); `null` when malformed. */
export function parseEntityTag(value: string): EntityTag | null {
  const text = value.trim();
  const weak = text.startsWith('W/');
  const opaque = weak ? text.slice(2) : text;
  // etagc excludes DQUOTE; be lenient about other characters.
  if (!/^"[^"]*"$/.test(opaque)) return null;
  return { weak, opaque };
}

/** Weak comparison (RFC 9110 §8.8.3.2): opaque tags equal, weakness ignored. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** Strong comparison (RFC 9110 §8.8.3.2): neither weak and opaque tags equal. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/**
 * Entity-tags of an `If-None-Match` list, `'*'` for the wildcard, `null` when the field is
 * malformed (a recipient then ignores it). Tags may contain commas, so this scans rather than
 * splitting on commas.
 */
export function parseEntityTagList(value: string): EntityTag[] | '*' | null {
  const text = value.trim();
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  const pattern = /\s*(W\/)?("[^"]*")\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < text.length && (match = pattern.exec(text)) !== null) {
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
    consumed = pattern.lastIndex;
    // Skip empty list members (`"a", , "b"`).
    while (text[consumed] === ',' || text[consumed] === ' ' || text[consumed] === '\t') consumed++;
    pattern.lastIndex = consumed;
  }
  return consumed >= text.length && tags.length > 0 ? tags : null;
}

type StoredForConditional = Pick<CacheMeta, 'status' | 'headers' | 'validators' | 'responseTime'>;

/**
 * Whether the page's own conditional request can be answered with 304 from `meta`
 * (RFC 9111 §4.3.2, RFC 9110 §13.2.2):
 * - only for `GET` / `HEAD`, and only when the stored response is a 2xx (§13.2.1: preconditions
 *   are ignored when the response would not be 2xx);
 * - `If-None-Match` first: `*` matches any stored response; otherwise a weak comparison against
 *   the stored `ETag` (none stored → no match). When present it decides alone;
 * - else `If-Modified-Since`, ignored when it is not a valid HTTP-date or lists several dates
 *   (§13.1.3): not modified when the stored `Last-Modified` — or, without one, its `Date`
 *   (RFC 9111 §4.3.2) — is not later than it.
 * `If-Match` / `If-Unmodified-Since` are for the origin and not evaluated (RFC 9111 §4.3.2).
 */
export function isNotModified(
  method: string,
  requestHeaders: Headers,
  meta: StoredForConditional,
): boolean {
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD') return false;
  if (meta.status < 200 || meta.status > 299) return false;

  const ifNoneMatch = requestHeaders.get('if-none-match');
  if (ifNoneMatch !== null) {
    const list = parseEntityTagList(ifNoneMatch);
    if (list === '*') return true;
    // A malformed If-None-Match is still present: it takes precedence and matches nothing.
    if (list === null) return false;
    const stored = meta.validators.etag === undefined ? null : parseEntityTag(meta.validators.etag);
    return stored !== null && list.some((tag) => weakMatch(tag, stored));
  }

  const ifModifiedSince = requestHeaders.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = parseHttpDate(ifModifiedSince, meta.responseTime);
  if (since === null) return false;
  const lastModified =
    parseHttpDate(getCombinedHeader(meta.headers, 'last-modified'), meta.responseTime) ??
    responseDate(meta.headers, meta.responseTime);
  return lastModified <= since;
}
