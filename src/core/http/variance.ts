/**
 * `Vary` (RFC 9111 §4.1) for pingora's variance scheme: a response that varies is stored under
 * its URL plus a hash of the request's values for the header names its `Vary` lists.
 *
 * Values are normalised per field: for every field, several field lines are combined, the value
 * is trimmed and optional whitespace around commas is removed; the content negotiation lists
 * (`Accept`, `Accept-Charset`, `Accept-Encoding`, `Accept-Language`) are also put in a canonical
 * case and order (see {@link canonicalWeightedList}), because their definitions give case and
 * order no meaning beyond the q-values (§4.1 allows normalising "where ... known to have
 * identical semantics"). Other fields keep case and order: only a field's own definition could
 * say they don't matter, and skipping that costs at most an extra variant. A missing header and
 * an empty header are different (§4.1: absent only matches absent).
 */

import { hashString } from '../key.ts';
import type { CacheMeta, HeaderList } from '../meta.ts';
import { getCombinedHeader } from '../meta.ts';
import { canonicalWeightedList } from './negotiation.ts';

/** The `Vary` wildcard: the response varies on something outside the request headers. */
export const VARY_ANY = '*';

/**
 * Header names of a response's `Vary`, lowercased, trimmed, deduplicated and sorted; `['*']`
 * when any member is `*` (a `*` makes the other names irrelevant). Empty when there is no
 * `Vary` (or it lists nothing).
 */
export function varyHeaderNames(headers: Headers | HeaderList): string[] {
  const value =
    headers instanceof Headers ? headers.get('vary') : getCombinedHeader(headers, 'vary');
  if (value === null) return [];
  const names = new Set(
    value
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
  if (names.has(VARY_ANY)) return [VARY_ANY];
  return [...names].sort();
}

/** Whether the names contain `*`: such a response can never be reused (§4.1). */
export function varyMatchesNothing(names: readonly string[]): boolean {
  return names.includes(VARY_ANY);
}

/**
 * The value of the request header `name` normalised for comparison, or `null` when the header
 * is absent (see the module comment). Without a `name` only the whitespace rule applies.
 */
export function normalizeVaryValue(value: string | null, name = ''): string | null {
  if (value === null) return null;
  return canonicalWeightedList(name, value) ?? value.trim().replace(/[ \t]*,[ \t]*/g, ',');
}

/**
 * The variance of a request for a response varying on `names`: a hash of the sorted names and
 * the request's normalised values, or `undefined` when the response does not vary (empty
 * `names`). `*` is hashed like a name: callers never store a `Vary: *` response (see
 * {@link varyMatches}), so such a hash never finds anything.
 */
export function varianceHash(
  names: readonly string[],
  requestHeaders: Headers,
): string | undefined {
  if (names.length === 0) return undefined;
  const sorted = [...new Set(names.map((name) => name.toLowerCase()))].sort();
  // \u0000 and \u0001 cannot occur in header values, so the encoding is unambiguous.
  const parts = sorted.map((name) => {
    const value = normalizeVaryValue(requestHeaders.get(name), name);
    return value === null ? `${name}\u0000` : `${name}\u0000=${value}`;
  });
  return hashString(parts.join('\u0001'));
}

/**
 * Whether a stored response can be selected for a request (§4.1): it does not vary, or the
 * request's variance equals the stored one. `Vary: *` never matches.
 */
export function varyMatches(
  meta: Pick<CacheMeta, 'vary' | 'variance'>,
  requestHeaders: Headers,
): boolean {
  if (meta.vary.length === 0) return true;
  if (varyMatchesNothing(meta.vary)) return false;
  return varianceHash(meta.vary, requestHeaders) === meta.variance;
}
