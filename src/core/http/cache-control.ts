/**
 * `Cache-Control` parsing (RFC 9111 §5.2), tolerant of what origins actually send.
 *
 * - Directive names compare case-insensitively; empty members (`a,,b`) and extra whitespace are
 *   skipped (RFC 9110 §5.6.1 asks recipients to accept empty list elements).
 * - Arguments may be tokens or quoted-strings for every directive: `max-age="60"` is 60
 *   (RFC 9111 §5.2: "recipients ought to accept both forms").
 * - delta-seconds is `1*DIGIT` (RFC 9111 §1.2.2); larger values saturate at 2^31. Anything else
 *   (`-1`, `1.5`, `abc`, a missing argument) is invalid: see {@link CacheControl.invalid}.
 * - A directive repeated with conflicting values takes its most restrictive value (RFC 9111
 *   §4.2.1: "either the first occurrence should be used or the response should be considered
 *   stale"; "the most restrictive directive should be honored"): see {@link parseCacheControl}.
 */

/** The largest delta-seconds we represent (RFC 9111 §1.2.2). */
export const DELTA_SECONDS_MAX = 2 ** 31;

/** The directives of one `Cache-Control` field (request or response), typed. */
export interface CacheControl {
  /** `max-age` in seconds (response: lifetime; request: the largest acceptable age). */
  readonly maxAge?: number | undefined;
  /** `s-maxage` in seconds (shared caches only: parsed, ignored by this private cache). */
  readonly sMaxAge?: number | undefined;
  /** Request `max-stale`: `Infinity` when present without a value. */
  readonly maxStale?: number | undefined;
  /** Request `min-fresh` in seconds. */
  readonly minFresh?: number | undefined;
  /** RFC 5861 `stale-while-revalidate` in seconds. */
  readonly staleWhileRevalidate?: number | undefined;
  /** RFC 5861 `stale-if-error` in seconds. */
  readonly staleIfError?: number | undefined;
  /** Unqualified `no-cache` (a `no-cache="field"` form only fills {@link noCacheFields}). */
  readonly noCache: boolean;
  /** Field names of a qualified `no-cache="a, b"`, lowercased. */
  readonly noCacheFields: readonly string[];
  readonly noStore: boolean;
  readonly noTransform: boolean;
  readonly onlyIfCached: boolean;
  readonly mustRevalidate: boolean;
  readonly proxyRevalidate: boolean;
  readonly mustUnderstand: boolean;
  /** `private`, qualified or not (a private cache may store both forms). */
  readonly private: boolean;
  readonly public: boolean;
  /** RFC 8246 `immutable`. */
  readonly immutable: boolean;
  /**
   * Names of directives whose delta-seconds argument was missing or malformed. Callers decide
   * what that means: an invalid response `max-age` makes the response stale (RFC 9111 §4.2.1).
   */
  readonly invalid: readonly string[];
}

const DELTA_DIRECTIVES = {
  'max-age': 'maxAge',
  's-maxage': 'sMaxAge',
  'max-stale': 'maxStale',
  'min-fresh': 'minFresh',
  'stale-while-revalidate': 'staleWhileRevalidate',
  'stale-if-error': 'staleIfError',
} as const;
type DeltaDirective = keyof typeof DELTA_DIRECTIVES;
type DeltaField = (typeof DELTA_DIRECTIVES)[DeltaDirective];

const FLAG_DIRECTIVES = {
  'no-store': 'noStore',
  'no-transform': 'noTransform',
  'only-if-cached': 'onlyIfCached',
  'must-revalidate': 'mustRevalidate',
  'proxy-revalidate': 'proxyRevalidate',
  'must-understand': 'mustUnderstand',
  private: 'private',
  public: 'public',
  immutable: 'immutable',
} as const;
type FlagField = (typeof FLAG_DIRECTIVES)[keyof typeof FLAG_DIRECTIVES];

/** One `name[=argument]` member of the list; `argument` is unquoted, `undefined` when absent. */
export interface Directive {
  readonly name: string;
  readonly argument: string | undefined;
}

/**
 * Splits a `Cache-Control` (or `Pragma`) value into directives. Commas inside quoted-strings do
 * not split (`no-cache="a, b"`), backslash escapes in quoted-strings are undone (RFC 9110 §5.6.4).
 */
export function splitDirectives(value: string): Directive[] {
  const directives: Directive[] = [];
  let i = 0;
  while (i < value.length) {
    let name = '';
    while (i < value.length && value[i] !== ',' && value[i] !== '=') name += value[i++];
    let argument: string | undefined;
    if (value[i] === '=') {
      i++;
      while (value[i] === ' ' || value[i] === '\t') i++;
      if (value[i] === '"') {
        i++;
        argument = '';
        while (i < value.length && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < value.length) i++;
          argument += value[i++];
        }
        i++; // closing quote (or end of input for an unterminated string)
        while (i < value.length && value[i] !== ',') i++; // junk after the quoted-string
      } else {
        argument = '';
        while (i < value.length && value[i] !== ',') argument += value[i++];
        argument = argument.trim();
      }
    }
    i++; // the comma
    const trimmed = name.trim().toLowerCase();
    if (trimmed !== '') directives.push({ name: trimmed, argument });
  }
  return directives;
}

/**
 * delta-seconds (RFC 9111 §1.2.2): digits only, saturating at 2^31; `null` when invalid.
 */
export function parseDeltaSeconds(argument: string | undefined): number | null {
  if (argument === undefined || !/^\d+$/.test(argument)) return null;
  return Math.min(Number(argument), DELTA_SECONDS_MAX);
}

/**
 * Which value wins when a delta directive repeats with different values: the most restrictive
 * one. For a response's `max-age` / `s-maxage` / `stale-*` that is 0 (RFC 9111 §4.2.1 "consider
 * the response stale"); for a request it is the smallest `max-age` / `max-stale` and the
 * largest `min-fresh`.
 */
function resolveConflict(field: DeltaField, a: number, b: number): number {
  if (a === b) return a;
  switch (field) {
    case 'minFresh':
      return Math.max(a, b);
    case 'maxStale':
      return Math.min(a, b);
    default:
      // maxAge is also a request directive; 0 is "most restrictive" for both readings.
      return 0;
  }
}

/**
 * Parses a `Cache-Control` value (several field lines joined with `,`). `null` or empty gives
 * an object with every flag off and every value `undefined`.
 */
export function parseCacheControl(value: string | null | undefined): CacheControl {
  const deltas: Partial<Record<DeltaField, number>> = {};
  const flags: Record<FlagField, boolean> = {
    noStore: false,
    noTransform: false,
    onlyIfCached: false,
    mustRevalidate: false,
    proxyRevalidate: false,
    mustUnderstand: false,
    private: false,
    public: false,
    immutable: false,
  };
  const invalid = new Set<string>();
  let noCache = false;
  const noCacheFields = new Set<string>();

  for (const { name, argument } of splitDirectives(value ?? '')) {
    // Object.hasOwn, not `in`: `__proto__`, `toString`… are inherited names, not directives.
    if (Object.hasOwn(DELTA_DIRECTIVES, name)) {
      const field = DELTA_DIRECTIVES[name as DeltaDirective];
      let seconds = parseDeltaSeconds(argument);
      if (seconds === null && name === 'max-stale' && argument === undefined) seconds = Infinity;
      if (seconds === null) {
        invalid.add(name);
        continue;
      }
      const previous = deltas[field];
      deltas[field] = previous === undefined ? seconds : resolveConflict(field, previous, seconds);
    } else if (name === 'no-cache') {
      const fields = argument === undefined ? [] : fieldNames(argument);
      // `no-cache=""` names no field: read it as the unqualified form, the safer reading.
      if (fields.length === 0) noCache = true;
      for (const field of fields) noCacheFields.add(field);
    } else if (Object.hasOwn(FLAG_DIRECTIVES, name)) {
      flags[FLAG_DIRECTIVES[name as keyof typeof FLAG_DIRECTIVES]] = true;
    }
  }

  return {
    ...deltas,
    noCache,
    noCacheFields: [...noCacheFields],
    ...flags,
    invalid: [...invalid],
  };
}

function fieldNames(argument: string): string[] {
  return argument
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/**
 * The cache directives of a request: its `Cache-Control`, or — only when the request has no
 * `Cache-Control` at all — `Pragma: no-cache` read as `Cache-Control: no-cache` (RFC 7234 §5.4;
 * RFC 9111 §5.4 deprecates `Pragma` but HTTP/1.0 clients and some tools still send it alone).
 */
export function requestCacheControl(headers: Headers): CacheControl {
  const cacheControl = headers.get('cache-control');
  if (cacheControl !== null) return parseCacheControl(cacheControl);
  const pragma = headers.get('pragma');
  const pragmaNoCache =
    pragma !== null && splitDirectives(pragma).some((d) => d.name === 'no-cache');
  return parseCacheControl(pragmaNoCache ? 'no-cache' : null);
}
