/**
 * Strong validators (RFC 9110 §8.8.1): what lets a cache tell that two byte ranges come from the
 * same representation, so pieces may be combined (RFC 9111 §3.4) and `If-Range` may apply
 * (RFC 9110 §13.1.5). A strong `ETag`, or a `Last-Modified` that §8.8.2.2 lets a cache deduce is
 * strong.
 */
import type { HeaderList } from '../meta.ts';
import { getHeader } from '../meta.ts';
import { parseEntityTag } from './conditional.ts';
import { parseHttpDate } from './dates.ts';

/**
 * §8.8.2.2, the rule for a cache and for a client: a `Last-Modified` at least 60 seconds before
 * the `Date` of the response is strong (two versions sent within the same second would share the
 * `Last-Modified` but one of them would have a `Date` equal to it; the margin allows for
 * different clocks).
 */
export const STRONG_LAST_MODIFIED_MARGIN_MS = 60_000;

/** A representation's strong validator: its strong entity-tag, or its strong `Last-Modified`. */
export type StrongValidator =
  | { readonly etag: string; readonly lastModified?: undefined }
  | { readonly etag?: undefined; readonly lastModified: number };

/**
 * The strong validator of a response with `headers`, or `null` when it has none: a weak or
 * malformed `ETag` and no strong `Last-Modified`. An `ETag` wins when both are strong (it is the
 * finer one, §8.8.3). `now` only resolves two-digit years (see `parseHttpDate`).
 */
export function strongValidator(headers: HeaderList, now: number): StrongValidator | null {
  const etag = getHeader(headers, 'etag');
  const tag = etag === null ? null : parseEntityTag(etag);
  if (tag !== null && !tag.weak) return { etag: tag.opaque };
  const lastModified = strongLastModified(
    getHeader(headers, 'last-modified'),
    getHeader(headers, 'date'),
    now,
  );
  return lastModified === null ? null : { lastModified };
}

/**
 * A `Last-Modified` value as an instant when §8.8.2.2 makes it strong: the response's `Date` is
 * at least {@link STRONG_LAST_MODIFIED_MARGIN_MS} later. Otherwise (either missing or invalid,
 * or too close) `null`.
 */
export function strongLastModified(
  lastModifiedValue: string | null | undefined,
  dateValue: string | null | undefined,
  now: number,
): number | null {
  const lastModified = parseHttpDate(lastModifiedValue, now);
  const date = parseHttpDate(dateValue, now);
  if (lastModified === null || date === null) return null;
  return date - lastModified >= STRONG_LAST_MODIFIED_MARGIN_MS ? lastModified : null;
}

/**
 * Whether two strong validators name the same representation: tags compare with the strong
 * function (§8.8.3.2), dates as instants. A tag and a date never match (nothing links them).
 */
export function sameRepresentation(a: StrongValidator, b: StrongValidator): boolean {
  if (a.etag !== undefined || b.etag !== undefined) return a.etag === b.etag;
  return a.lastModified === b.lastModified;
}
