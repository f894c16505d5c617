/**
 * `Content-Range` of a 206 (RFC 9110 §14.4): which bytes of the representation the body holds,
 * and the representation's full length.
 */
import type { ByteRange } from './range.ts';

/** The bytes `start…end` (inclusive, as written) of a representation of `length` bytes. */
export interface ContentRange extends ByteRange {
  readonly length: number;
}

/** Why a `Content-Range` cannot place a 206's body in its representation. */
export type ContentRangeProblem =
  /** No `Content-Range`. */
  | 'absent'
  /** Not `bytes first-last/length` with `first <= last < length`, or a number past 2^53. */
  | 'invalid'
  /** `bytes a-b/*`: valid, but without the full length the piece cannot be placed in an entry. */
  | 'unknown-length';

export type ParsedContentRange =
  | ({ readonly ok: true } & ContentRange)
  | { readonly ok: false; readonly problem: ContentRangeProblem };

/** range-unit SP first-pos "-" last-pos "/" ( complete-length / "*" ) (§14.4). */
const RANGE_RESP = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * Parses the `Content-Range` of a 206 (§14.4). Only `bytes` is understood; the
 * `unsatisfied-range` form (`bytes *\/length`) belongs to a 416 and is invalid here, as is a
 * range whose last byte is before its first or not inside the length (§14.4: such a field is
 * invalid). Surrounding whitespace is tolerated (§5.5).
 */
export function parseContentRange(value: string | null): ParsedContentRange {
  if (value === null) return { ok: false, problem: 'absent' };
  const match = RANGE_RESP.exec(value.trim());
  if (match === null || match[1]?.toLowerCase() !== 'bytes') {
    return { ok: false, problem: 'invalid' };
  }
  const [start, end] = [Number(match[2]), Number(match[3])];
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    return { ok: false, problem: 'invalid' };
  }
  if (match[4] === '*') return { ok: false, problem: 'unknown-length' };
  const length = Number(match[4]);
  if (!Number.isSafeInteger(length) || end >= length) return { ok: false, problem: 'invalid' };
  return { ok: true, start, end, length };
}

/**
 * Whether a body of `bodyLength` bytes (its `Content-Length`, or the bytes received) is exactly
 * the range a `Content-Range` names: anything else leaves it unknown which bytes are which.
 */
export function bodyMatchesRange(range: ByteRange, bodyLength: number): boolean {
  return bodyLength === range.end - range.start + 1;
}
