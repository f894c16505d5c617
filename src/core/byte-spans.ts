/**
 * The byte ranges a sparse (partial) entry holds: a set of half-open spans `[start, end)` kept
 * sorted, disjoint and non-adjacent, so two sets holding the same bytes are equal arrays. Pure
 * functions over plain arrays (they survive structured clone into IndexedDB unchanged).
 *
 * Half-open, unlike the inclusive `ByteRange` of `Range`/`Content-Range` (`http/range.ts`): the
 * length of a span is `end - start`, and adjacent spans meet at one number.
 */

/** Bytes `[start, end)`; `start < end`. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/** A normalised set: sorted by `start`, disjoint, no two spans adjacent. */
export type ByteSpans = readonly ByteSpan[];

/** The set with `span` added: overlapping and adjacent spans merge into one. */
export function addSpan(spans: ByteSpans, span: ByteSpan): ByteSpans {
  if (span.end <= span.start) return spans;
  let { start, end } = span;
  const out: ByteSpan[] = [];
  let placed = false;
  for (const s of spans) {
    if (s.end < start) {
      out.push(s);
    } else if (s.start > end) {
      if (!placed) out.push({ start, end });
      placed = true;
      out.push(s);
    } else {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
  }
  if (!placed) out.push({ start, end });
  return out;
}

/** The parts of `span` the set does not hold, in order. */
export function missingSpans(spans: ByteSpans, span: ByteSpan): ByteSpan[] {
  const missing: ByteSpan[] = [];
  let at = span.start;
  for (const s of spans) {
    if (s.end <= at) continue;
    if (s.start >= span.end) break;
    if (s.start > at) missing.push({ start: at, end: s.start });
    at = Math.max(at, s.end);
    if (at >= span.end) break;
  }
  if (at < span.end) missing.push({ start: at, end: span.end });
  return missing;
}

/** The parts of `span` the set holds, in order. */
export function heldSpans(spans: ByteSpans, span: ByteSpan): ByteSpan[] {
  const held: ByteSpan[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, span.start);
    const end = Math.min(s.end, span.end);
    if (start < end) held.push({ start, end });
  }
  return held;
}

/** Whether every byte of `span` is held (an empty span always is). */
export function coversSpan(spans: ByteSpans, span: ByteSpan): boolean {
  return missingSpans(spans, span).length === 0;
}

/** Whether the set holds every byte of a representation of `length` bytes. */
export function isComplete(spans: ByteSpans, length: number): boolean {
  return coversSpan(spans, { start: 0, end: length });
}

/** How many bytes the set holds. */
export function heldBytes(spans: ByteSpans): number {
  return spans.reduce((total, s) => total + s.end - s.start, 0);
}

/**
 * `value` as a set of spans within `[0, length)`, or `null` when it is not one in normal form
 * (records read back from storage are checked: a damaged one must never claim bytes it lacks).
 */
export function validSpans(value: unknown, length: number): ByteSpans | null {
  if (!Array.isArray(value)) return null;
  let previousEnd = -1;
  for (const s of value as unknown[]) {
    if (typeof s !== 'object' || s === null) return null;
    const { start, end } = s as { start?: unknown; end?: unknown };
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
    const [a, b] = [start as number, end as number];
    if (a < 0 || b <= a || b > length || a <= previousEnd) return null;
    previousEnd = b;
  }
  return value as ByteSpans;
}
