/**
 * What the cache stores about a response (pingora `CacheMeta`). A plain object of strings,
 * numbers and arrays, so it survives structured clone (IndexedDB, postMessage) unchanged.
 *
 * All times are milliseconds since the epoch, taken from the runtime clock of the cache (never
 * from the origin's `Date`, which only feeds the age calculation).
 */

/** Header list as received, names lowercased, order kept, repeated names kept as separate rows. */
export type HeaderList = readonly (readonly [name: string, value: string])[];

export interface Validators {
  /** The `ETag` value, verbatim (weak validators keep their `W/` prefix). */
  readonly etag?: string | undefined;
  /** The `Last-Modified` value, verbatim. */
  readonly lastModified?: string | undefined;
}

export interface CacheMeta {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeaderList;
  /** When this response (or the first response of a revalidated chain) was stored. */
  readonly created: number;
  /** When this meta was last written: the store, or the latest 304 that refreshed it. */
  readonly updated: number;
  /** When the request that produced the response was sent (RFC 9111 §4.2.3 `request_time`). */
  readonly requestTime: number;
  /** When the response was received (RFC 9111 §4.2.3 `response_time`). */
  readonly responseTime: number;
  /** `corrected_initial_age` of RFC 9111 §4.2.3, in seconds. */
  readonly initialAge: number;
  /** Until when the response is fresh (response time + lifetime − initial age). */
  readonly freshUntil: number;
  /** Until when a stale response may be served while it revalidates (RFC 5861). */
  readonly staleWhileRevalidateUntil: number;
  /** Until when a stale response may be served when the origin fails (RFC 5861). */
  readonly staleIfErrorUntil: number;
  /** Header names of the response's `Vary`, lowercased; `['*']` for `Vary: *`. */
  readonly vary: readonly string[];
  /** The variance hash this meta was stored under, when the response varies. */
  readonly variance?: string | undefined;
  readonly validators: Validators;
  /** Tags from the `Cache-Tag` response header, for purge by tag. */
  readonly tags: readonly string[];
  /** Whether a stale response must be revalidated before use (`must-revalidate`, `no-cache`). */
  readonly mustRevalidate: boolean;
}

/** The first value of a header in a stored list, or `null`. Names compare case-insensitively. */
export function getHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n === lower) return v;
  return null;
}

/** The body size a stored response declares (`Content-Length`, digits only), or `undefined`. */
export function declaredLength(meta: Pick<CacheMeta, 'headers'>): number | undefined {
  const value = getHeader(meta.headers, 'content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** All values of a header joined with ", " (RFC 9110 §5.3), or `null` when absent. */
export function getCombinedHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n === lower).map(([, v]) => v);
  return values.length === 0 ? null : values.join(', ');
}

/** A stored header list from a `Headers` object (names are already lowercase there). */
export function headerListFrom(headers: Headers): HeaderList {
  return [...headers];
}
