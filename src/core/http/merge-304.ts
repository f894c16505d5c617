/**
 * Freshening a stored response with a 304 (RFC 9111 §4.3.3, §4.3.4, §3.2; pingora
 * `revalidate_merge_header` + `revalidate_cache_meta`).
 */

import type { CacheMeta, HeaderList } from '../meta.ts';
import { getHeader, headerListFrom } from '../meta.ts';
import type { NoCacheReason } from '../phase.ts';
import { metaFromResponse } from './cacheability.ts';
import type {
  CacheabilityOptions,
  RequestSnapshot,
  Timing,
  UncacheableDetail,
} from './cacheability.ts';
import { parseEntityTag, strongMatch, weakMatch } from './conditional.ts';
import { parseHttpDate } from './dates.ts';
import { NOT_UPDATED_BY_304, storedHeaders } from './stored-headers.ts';

/**
 * Whether a 304 identifies the stored response for update (§4.3.4):
 * - a strong `ETag` in the 304 must strongly match the stored one (no stored ETag, or a
 *   different one → MUST NOT update);
 * - a weak `ETag` must weakly match;
 * - without an ETag, a `Last-Modified` in the 304 must equal the stored one;
 * - without any validator the 304 is accepted. §4.3.4 only selects a validator-less stored
 *   response in that case; we also accept it when the stored response has validators, because
 *   the cache sent exactly this stored response's validators and there is no other candidate
 *   (see docs/decisions/rfc9111-semantics.md).
 */
export function identifiesStoredResponse(
  meta: Pick<CacheMeta, 'validators' | 'responseTime'>,
  notModifiedHeaders: Headers,
): boolean {
  const newEtagValue = notModifiedHeaders.get('etag');
  const newEtag = newEtagValue === null ? null : parseEntityTag(newEtagValue);
  const storedEtag =
    meta.validators.etag === undefined ? null : parseEntityTag(meta.validators.etag);
  if (newEtag !== null) {
    if (storedEtag === null) return false;
    return newEtag.weak ? weakMatch(newEtag, storedEtag) : strongMatch(newEtag, storedEtag);
  }
  const newLastModified = parseHttpDate(notModifiedHeaders.get('last-modified'), meta.responseTime);
  if (newLastModified !== null) {
    const storedLastModified = parseHttpDate(meta.validators.lastModified, meta.responseTime);
    return storedLastModified === newLastModified;
  }
  return true;
}

/**
 * The stored header list updated with a 304's fields (§3.2, §4.3.4): every field the 304
 * carries replaces all stored lines of that name, except {@link NOT_UPDATED_BY_304}. `Age` and
 * `Date` describe the 304, not the stored response: the stored ones are always dropped and only
 * the 304's kept, so the age is recomputed from the revalidation (a 304 without `Date` gets the
 * receipt time, RFC 9110 §6.6.1).
 */
export function merge304Headers(
  stored: HeaderList,
  notModifiedHeaders: Headers,
  responseTime: number,
): HeaderList {
  const incoming = storedHeaders(headerListFrom(notModifiedHeaders), responseTime).filter(
    ([name]) => !NOT_UPDATED_BY_304.has(name),
  );
  const replaced = new Set(incoming.map(([name]) => name));
  replaced.add('age');
  replaced.add('date');
  return [...stored.filter(([name]) => !replaced.has(name)), ...incoming];
}

/** The result of freshening a stored response with a 304. */
export type FreshenResult =
  /** Store `meta` (same body, new headers and times) and serve it. */
  | { readonly kind: 'updated'; readonly meta: CacheMeta }
  /**
   * The merged response may no longer be stored (the 304 added `no-store`, for example): serve
   * `headers` with the stored body this once, then drop the entry (pingora
   * `revalidate_uncacheable`).
   */
  | {
      readonly kind: 'uncacheable';
      readonly headers: HeaderList;
      readonly reason: NoCacheReason;
      readonly detail: UncacheableDetail;
    }
  /** The 304 is about another representation (§4.3.4): do not update; refetch unconditionally. */
  | { readonly kind: 'mismatch' };

/**
 * Freshens `meta` with a 304 received for `request` (§4.3.4): checks the 304 identifies it,
 * merges the headers and recomputes times and freshness from the merged headers. `created`,
 * `vary` and `variance` are kept; `updated`, `requestTime` and `responseTime` are the
 * revalidation's.
 */
export function freshenWith304(
  meta: CacheMeta,
  request: RequestSnapshot,
  notModifiedHeaders: Headers,
  timing: Timing,
  options: CacheabilityOptions = {},
): FreshenResult {
  if (!identifiesStoredResponse(meta, notModifiedHeaders)) return { kind: 'mismatch' };
  return freshen(meta, request, notModifiedHeaders, timing, options);
}

/**
 * Whether a 200 answer to HEAD describes the stored GET response (RFC 9111 §4.3.5): every
 * validator it carries (`ETag`, `Last-Modified`; at least one) matches the stored one, and its
 * `Content-Length`, when present, is the stored body's size. An `ETag` compares weakly: HEAD
 * carries no body, so only "the same representation" is asked, not byte equality.
 */
export function headMatchesStored(
  meta: Pick<CacheMeta, 'validators' | 'responseTime' | 'headers'>,
  headHeaders: Headers,
  storedSize: number | undefined,
): boolean {
  const etagValue = headHeaders.get('etag');
  const lastModifiedValue = headHeaders.get('last-modified');
  if (etagValue === null && lastModifiedValue === null) return false;
  if (etagValue !== null) {
    const etag = parseEntityTag(etagValue);
    const stored = meta.validators.etag === undefined ? null : parseEntityTag(meta.validators.etag);
    if (etag === null || stored === null || !weakMatch(etag, stored)) return false;
  }
  if (lastModifiedValue !== null) {
    const lastModified = parseHttpDate(lastModifiedValue, meta.responseTime);
    const stored = parseHttpDate(meta.validators.lastModified, meta.responseTime);
    if (lastModified === null || lastModified !== stored) return false;
  }
  const length = headHeaders.get('content-length');
  const storedLength = getHeader(meta.headers, 'content-length') ?? storedSize?.toString();
  return length === null || storedLength === undefined || length.trim() === storedLength.trim();
}

/**
 * Updates the stored GET `meta` with a 200 answer to HEAD (RFC 9111 §4.3.5): when it describes
 * the stored response ({@link headMatchesStored}) its header fields update the stored ones as a
 * 304's would (§3.2) and freshness is recomputed; otherwise `mismatch`, and the caller treats
 * the stored response as stale (drops it).
 */
export function freshenWithHead(
  meta: CacheMeta,
  request: RequestSnapshot,
  headHeaders: Headers,
  timing: Timing,
  storedSize: number | undefined,
  options: CacheabilityOptions = {},
): FreshenResult {
  if (!headMatchesStored(meta, headHeaders, storedSize)) return { kind: 'mismatch' };
  // The stored response answers GET: its storability is judged as a GET's.
  return freshen(meta, { ...request, method: 'GET' }, headHeaders, timing, options);
}

function freshen(
  meta: CacheMeta,
  request: RequestSnapshot,
  fields: Headers,
  timing: Timing,
  options: CacheabilityOptions,
): FreshenResult {
  const headers = merge304Headers(meta.headers, fields, timing.responseTime);
  const result = metaFromResponse(
    request,
    meta.status,
    meta.statusText,
    headers,
    timing,
    options,
    meta,
  );
  if (!result.cacheable)
    return { kind: 'uncacheable', headers, reason: result.reason, detail: result.detail };
  return { kind: 'updated', meta: result.meta };
}
