/**
 * Range requests served from a stored body (RFC 9110 §14): parsing `Range: bytes=…` against the
 * body's size, and the `If-Range` precondition (§13.1.5). Pure functions; building the 206/416
 * responses is the worker's job (`src/sw/range-response.ts`).
 */

import type { CacheMeta } from '../meta.ts';
import { getHeader } from '../meta.ts';
import { parseEntityTag, strongMatch } from './conditional.ts';
import { parseHttpDate } from './dates.ts';
import { strongLastModified } from './strong-validator.ts';

/** One satisfiable byte range; `end` is inclusive, as in `Content-Range` (§14.4). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Why a `Range` field is ignored (the full 200 is served). */
export type IgnoredRangeReason =
  /** No `Range` field. */
  | 'absent'
  /** A range unit other than `bytes` (§14.2: a server ignores units it does not understand). */
  | 'unit'
  /** Not a valid ranges-specifier (§14.2: a server MAY ignore an invalid `Range`). */
  | 'invalid'
  /** Too many ranges, or too many overlapping ones (§14.2, §17.15: denial of service). */
  | 'excessive'
  /** Satisfiable, but only by the empty body itself (a suffix range of a 0-byte body). */
  | 'empty';

/** What to answer to a `Range` field for a body of a given size. */
export type RangeSpec =
  | { readonly kind: 'none'; readonly reason: IgnoredRangeReason }
  /** Valid, but no range overlaps the body: 416 with `Content-Range: bytes *\/size` (§15.5.17). */
  | { readonly kind: 'unsatisfiable' }
  | ({ readonly kind: 'single' } & ByteRange)
  /** Two or more disjoint ranges, in the order the request listed them (§15.3.7.2). */
  | { readonly kind: 'multi'; readonly ranges: readonly ByteRange[] };

/**
 * Most range-specs accepted in one field. Real clients ask for one range, rarely a few; hundreds
 * of small ranges are the classic amplification attack (§17.15, the 2011 Apache "Range of death").
 */
export const MAX_RANGES = 16;

/** Most range-specs that may overlap another one; §17.15 names "more than two overlapping ranges". */
export const MAX_OVERLAPPING_RANGES = 2;

/** token (RFC 9110 §5.6.2), for the range unit. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** int-range = first-pos "-" [ last-pos ] (§14.1.2). */
const INT_RANGE = /^(\d+)-(\d*)$/;
/** suffix-range = "-" suffix-length (§14.1.2). */
const SUFFIX_RANGE = /^-(\d+)$/;

/** A range-spec as written, before it is resolved against the body size. */
type RangeSpecText =
  { readonly first: string; readonly last: string | undefined } | { readonly suffix: string };

/**
 * Interprets a `Range` field value for a body of `size` bytes (RFC 9110 §14.1.2, §14.2):
 * - `bytes=a-b`, `bytes=a-` and `bytes=-n`; the unit compares case-insensitively (§14.1);
 *   empty list elements and whitespace around elements are tolerated (§5.6.1);
 * - anything syntactically invalid (including `bytes=5-2`) or in another unit → `none`: the
 *   server MAY ignore such a field and send the full 200;
 * - a `last-pos` past the end is clamped to `size - 1`; a suffix longer than the body selects
 *   the whole body; a suffix of 0 is unsatisfiable;
 * - ranges that do not start inside the body are dropped; none left → `unsatisfiable` (416);
 * - overlapping and adjacent ranges are coalesced (§15.3.7.2 allows it in any order); what
 *   remains keeps the order the request listed it in; one range left → `single`;
 * - more than {@link MAX_RANGES} ranges, or more than {@link MAX_OVERLAPPING_RANGES} that overlap
 *   another one → `none` (§14.2 and §17.15: a server MAY ignore such requests).
 */
export function parseRange(value: string | null, size: number): RangeSpec {
  if (value === null) return { kind: 'none', reason: 'absent' };
  const parsed = parseRangeSet(value);
  if (typeof parsed === 'string') return { kind: 'none', reason: parsed };

  const satisfiable: ByteRange[] = [];
  let emptySuffix = false;
  for (const spec of parsed) {
    const range = resolve(spec, size);
    if (range === 'empty') emptySuffix = true;
    else if (range !== null) satisfiable.push(range);
  }
  if (satisfiable.length === 0) {
    // §14.1.2 calls a non-zero suffix of a 0-byte body satisfiable, but there is no byte to
    // name in a Content-Range: the whole (empty) body as a 200 is the honest answer.
    return emptySuffix ? { kind: 'none', reason: 'empty' } : { kind: 'unsatisfiable' };
  }
  if (overlappingCount(satisfiable) > MAX_OVERLAPPING_RANGES) {
    return { kind: 'none', reason: 'excessive' };
  }
  const ranges = coalesce(satisfiable);
  const [only] = ranges;
  if (ranges.length === 1 && only !== undefined) return { kind: 'single', ...only };
  return { kind: 'multi', ranges };
}

/** The range-specs of a field, or why the field is ignored. */
function parseRangeSet(value: string): RangeSpecText[] | IgnoredRangeReason {
  const text = value.trim();
  const equals = text.indexOf('=');
  if (equals < 0) return 'invalid';
  const unit = text.slice(0, equals);
  if (!TOKEN.test(unit)) return 'invalid';
  if (unit.toLowerCase() !== 'bytes') return 'unit';

  const specs: RangeSpecText[] = [];
  for (const element of text.slice(equals + 1).split(',')) {
    const spec = element.replace(/^[ \t]+|[ \t]+$/g, '');
    if (spec === '') continue;
    if (specs.length === MAX_RANGES) return 'excessive';
    const int = INT_RANGE.exec(spec);
    if (int !== null) {
      const first = int[1] ?? '';
      const last = int[2] === '' ? undefined : int[2];
      // §14.1.2: an int-range whose last-pos is less than its first-pos is invalid.
      if (last !== undefined && compareDigits(last, first) < 0) return 'invalid';
      specs.push({ first, last });
      continue;
    }
    const suffix = SUFFIX_RANGE.exec(spec);
    if (suffix === null) return 'invalid';
    specs.push({ suffix: suffix[1] ?? '' });
  }
  // range-set = 1#range-spec: at least one element.
  return specs.length === 0 ? 'invalid' : specs;
}

/**
 * The bytes a range-spec selects in a body of `size` bytes, `null` when it selects none, or
 * `'empty'` for a non-zero suffix of an empty body. Digits beyond 2^53 lose precision as numbers
 * but still compare correctly against any real body size.
 */
function resolve(spec: RangeSpecText, size: number): ByteRange | null | 'empty' {
  if ('suffix' in spec) {
    const length = Number(spec.suffix);
    if (length === 0) return null;
    if (size === 0) return 'empty';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(spec.first);
  if (start >= size) return null;
  const end = spec.last === undefined ? size - 1 : Math.min(Number(spec.last), size - 1);
  return { start, end };
}

/** Compares two digit strings as exact non-negative integers (no precision loss). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How many ranges share at least one byte with another range of the set. */
function overlappingCount(ranges: readonly ByteRange[]): number {
  return ranges.filter((a, i) =>
    ranges.some((b, j) => i !== j && a.start <= b.end && b.start <= a.end),
  ).length;
}

/**
 * Merges overlapping and adjacent ranges. Each merged range takes the request position of its
 * earliest member, so the parts go out in the order the client asked for them (§15.3.7.2).
 */
function coalesce(ranges: readonly ByteRange[]): ByteRange[] {
  const byStart = ranges
    .map((range, order) => ({ ...range, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number; order: number }[] = [];
  for (const range of byStart) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
      last.order = Math.min(last.order, range.order);
    } else {
      merged.push({ ...range });
    }
  }
  return merged.sort((a, b) => a.order - b.order).map(({ start, end }) => ({ start, end }));
}

/**
 * Whether an `If-Range` precondition lets the `Range` field apply to the stored response
 * (RFC 9110 §13.1.5). Absent → `true`. Otherwise:
 * - an entity-tag must be a strong match for the stored `ETag`: a weak tag on either side never
 *   matches (§8.8.3.2);
 * - an HTTP-date must equal the stored `Last-Modified` exactly, and that `Last-Modified` must be
 *   strong: a cache may treat it so when the stored `Date` is at least 60 seconds later
 *   (§8.8.2.2, `strongLastModified`), otherwise two versions within the same second could be
 *   spliced together;
 * - anything else (malformed tag, invalid date, no stored validator) → `false`: the full 200.
 *
 * @param now Reference time for two-digit years in rfc850 dates (see `parseHttpDate`).
 */
export function ifRangeAllows(
  ifRange: string | null,
  meta: Pick<CacheMeta, 'validators' | 'headers'>,
  now: number,
): boolean {
  if (ifRange === null) return true;
  const text = ifRange.trim();
  if (text.startsWith('"') || text.startsWith('W/')) {
    const tag = parseEntityTag(text);
    const { etag } = meta.validators;
    const stored = etag === undefined ? null : parseEntityTag(etag);
    return tag !== null && stored !== null && strongMatch(tag, stored);
  }
  const date = parseHttpDate(text, now);
  const lastModified = strongLastModified(
    meta.validators.lastModified,
    getHeader(meta.headers, 'date'),
    now,
  );
  return date !== null && date === lastModified;
}
