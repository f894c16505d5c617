/**
 * `No-Vary-Search` (draft-ietf-httpbis-no-vary-search, the IETF HTTP WG draft that Chromium's
 * HTTP cache and prefetch implement): a response says which query parameters do not change it,
 * so a stored response may answer a URL that differs only in those. Parsed as the draft's "parse
 * a URL search variance" says, from a Structured Field dictionary (RFC 8941); anything it does not
 * accept gives the default variance, which is exact matching of the query.
 */
import { parseDictionary } from 'structured-headers';
import type { Dictionary, InnerList, Item } from 'structured-headers';

/**
 * A URL search variance (draft §3): which parameters are ignored — every one but `vary`
 * (`noVary: '*'`), or those listed in `noVary` — and whether their order matters.
 */
export interface SearchVariance {
  /** Parameter names that are ignored, or `'*'`: all but {@link vary}. */
  readonly noVary: '*' | readonly string[];
  /** With `noVary: '*'`: the parameter names that still count. */
  readonly vary: readonly string[];
  readonly varyOnKeyOrder: boolean;
}

/** The default variance: the query must match exactly (draft §3). */
export const DEFAULT_SEARCH_VARIANCE: SearchVariance = {
  noVary: [],
  vary: [],
  varyOnKeyOrder: true,
};

/** Whether a variance is the default one: only an identical query matches. */
export function isDefaultSearchVariance(variance: SearchVariance): boolean {
  return variance.noVary !== '*' && variance.noVary.length === 0 && variance.varyOnKeyOrder;
}

/**
 * Parses a `No-Vary-Search` value (draft §4.1 "parse a URL search variance"): `key-order` must be
 * a boolean; `params` a boolean or an inner list of strings; `except` an inner list of strings,
 * only with `params` true. Unknown keys are ignored (the draft keeps them for extensions); any
 * other deviation, or a value that is not a Structured Field dictionary, gives the default.
 * Names are decoded as the draft's "parse a key" says (`+` is a space, then percent-decoding).
 */
export function parseNoVarySearch(value: string | null): SearchVariance {
  if (value === null || value.trim() === '') return DEFAULT_SEARCH_VARIANCE;
  let dictionary: Dictionary;
  try {
    dictionary = parseDictionary(value);
  } catch {
    return DEFAULT_SEARCH_VARIANCE;
  }
  let varyOnKeyOrder = true;
  const keyOrder = dictionary.get('key-order');
  if (keyOrder !== undefined) {
    if (!isItem(keyOrder) || typeof keyOrder[0] !== 'boolean') return DEFAULT_SEARCH_VARIANCE;
    varyOnKeyOrder = !keyOrder[0];
  }
  let noVary: '*' | string[] = [];
  const params = dictionary.get('params');
  if (params !== undefined) {
    if (isItem(params)) {
      if (typeof params[0] !== 'boolean') return DEFAULT_SEARCH_VARIANCE;
      noVary = params[0] ? '*' : [];
    } else {
      const names = stringItems(params[0]);
      if (names === null) return DEFAULT_SEARCH_VARIANCE;
      noVary = names;
    }
  }
  let vary: string[] = [];
  const except = dictionary.get('except');
  if (except !== undefined) {
    if (noVary !== '*' || isItem(except)) return DEFAULT_SEARCH_VARIANCE;
    const names = stringItems(except[0]);
    if (names === null) return DEFAULT_SEARCH_VARIANCE;
    vary = names;
  }
  return { noVary, vary, varyOnKeyOrder };
}

/** An Item is `[bareItem, parameters]` with a non-array first member; an inner list has an array. */
function isItem(member: Item | InnerList): member is Item {
  return !Array.isArray(member[0]);
}

function stringItems(items: readonly Item[]): string[] | null {
  const names: string[] = [];
  for (const [bare] of items) {
    if (typeof bare !== 'string') return null;
    names.push(parseKey(bare));
  }
  return names;
}

/** Draft §4.3 "parse a key": `+` is a space, then percent-decoding as a form would. */
function parseKey(key: string): string {
  // URLSearchParams applies exactly the application/x-www-form-urlencoded decoding of a name.
  return [...new URLSearchParams(`${key}=`).keys()][0] ?? '';
}

/**
 * The query of `url` as it counts under `variance`: its parameters (decoded as
 * application/x-www-form-urlencoded), without the ignored ones, sorted by name when order does
 * not matter, serialised again. `null` for the default variance, under which the query counts
 * exactly as written (draft §5: even `?` and no query differ then).
 */
export function significantQuery(url: URL, variance: SearchVariance): string | null {
  if (isDefaultSearchVariance(variance)) return null;
  let params = [...url.searchParams];
  const { noVary, vary } = variance;
  params =
    noVary === '*'
      ? params.filter(([name]) => vary.includes(name))
      : params.filter(([name]) => !noVary.includes(name));
  if (!variance.varyOnKeyOrder) {
    // A stable sort by code units, as the draft's keyLessThan.
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return new URLSearchParams(params).toString();
}

/**
 * Whether `a` and `b` are "equivalent modulo search variance" (draft §5): the same URL but for
 * the query, and the same significant query.
 */
export function equivalentModuloSearchVariance(
  a: string,
  b: string,
  variance: SearchVariance,
): boolean {
  const urlA = new URL(a);
  const urlB = new URL(b);
  if (withoutQuery(urlA) !== withoutQuery(urlB)) return false;
  if (isDefaultSearchVariance(variance))
    return urlA.search === urlB.search && hasQuery(a) === hasQuery(b);
  return significantQuery(urlA, variance) === significantQuery(urlB, variance);
}

/** The URL without its query and fragment: the part No-Vary-Search never relaxes. */
export function withoutQuery(url: URL): string {
  const copy = new URL(url.href);
  copy.search = '';
  copy.hash = '';
  return copy.href;
}

/** `URL.search` is `''` for both `/a` and `/a?`; the draft tells them apart under the default. */
function hasQuery(href: string): boolean {
  const hash = href.indexOf('#');
  return (hash < 0 ? href : href.slice(0, hash)).includes('?');
}
