/**
 * Freshness lifetime and age for a private cache (RFC 9111 §4.2), and the RFC 5861 stale
 * windows, turned into the absolute times that {@link CacheMeta} stores.
 */

import { getCombinedHeader } from '../meta.ts';
import type { HeaderList } from '../meta.ts';
import { DELTA_SECONDS_MAX, parseCacheControl, parseDeltaSeconds } from './cache-control.ts';
import type { CacheControl } from './cache-control.ts';
import { parseHttpDate, parseSingletonHttpDate } from './dates.ts';

/** Tuning of the heuristic freshness of responses without explicit expiration (§4.2.2). */
export interface FreshnessOptions {
  /** Share of the time since `Last-Modified` a response stays fresh. Default 0.1 (§4.2.2). */
  readonly heuristicFraction?: number;
  /** Upper bound of a heuristic lifetime, in seconds. Default 86 400 (one day). */
  readonly heuristicCapSeconds?: number;
}

export const DEFAULT_HEURISTIC_FRACTION = 0.1;
export const DEFAULT_HEURISTIC_CAP_SECONDS = 24 * 60 * 60;

/** Status codes "heuristically cacheable" by default (RFC 9110 §15.1). */
export const HEURISTICALLY_CACHEABLE_STATUS: ReadonlySet<number> = new Set([
  200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501,
]);

/** Where a freshness lifetime came from. */
export type FreshnessSource = 'max-age' | 'expires' | 'heuristic' | 'none';

export interface FreshnessLifetime {
  /** Lifetime in seconds (0 means stale on arrival). */
  readonly seconds: number;
  readonly source: FreshnessSource;
}

/**
 * The freshness lifetime of a response for a private cache (RFC 9111 §4.2.1):
 * `max-age` (s-maxage is for shared caches and ignored), else `Expires − Date`, else a
 * heuristic. `no-cache` gives 0 (reuse always needs revalidation, §5.2.2.4); so does an invalid
 * `max-age` (§4.2.1 "consider ... invalid freshness information ... stale") and an invalid
 * `Expires`, including `0` (§5.3 "MUST interpret invalid date formats ... as in the past").
 */
export function freshnessLifetime(
  status: number,
  headers: HeaderList,
  responseTime: number,
  options: FreshnessOptions = {},
  cacheControl: CacheControl = parseCacheControl(getCombinedHeader(headers, 'cache-control')),
): FreshnessLifetime {
  if (cacheControl.noCache) return { seconds: 0, source: 'max-age' };
  if (cacheControl.invalid.includes('max-age')) return { seconds: 0, source: 'max-age' };
  if (cacheControl.maxAge !== undefined) return { seconds: cacheControl.maxAge, source: 'max-age' };

  const dateValue = responseDate(headers, responseTime);
  const expiresHeader = getCombinedHeader(headers, 'expires');
  if (expiresHeader !== null) {
    // Several Expires values that disagree cannot be one date: stale (§4.2.1, §5.3).
    const expires = parseSingletonHttpDate(expiresHeader, responseTime);
    const seconds = expires === null ? 0 : Math.max(0, (expires - dateValue) / 1000);
    return { seconds: Math.min(seconds, DELTA_SECONDS_MAX), source: 'expires' };
  }

  if (!HEURISTICALLY_CACHEABLE_STATUS.has(status) && !cacheControl.public) {
    return { seconds: 0, source: 'none' };
  }
  const lastModified = parseHttpDate(getCombinedHeader(headers, 'last-modified'), responseTime);
  if (lastModified === null) return { seconds: 0, source: 'none' };
  const fraction = options.heuristicFraction ?? DEFAULT_HEURISTIC_FRACTION;
  const cap = options.heuristicCapSeconds ?? DEFAULT_HEURISTIC_CAP_SECONDS;
  const sinceModified = Math.max(0, (dateValue - lastModified) / 1000);
  return { seconds: Math.min(Math.floor(sinceModified * fraction), cap), source: 'heuristic' };
}

/**
 * The origin's `Date` in ms, or the time the response was received when it is absent or invalid
 * (RFC 9110 §6.6.1: a recipient records the receipt time in place of a missing `Date`).
 */
export function responseDate(headers: HeaderList, responseTime: number): number {
  return parseSingletonHttpDate(getCombinedHeader(headers, 'date'), responseTime) ?? responseTime;
}

/**
 * `age_value`: the `Age` header in seconds, 0 when absent or invalid. A list-valued `Age`
 * (`Age: 0, old`, or two lines that Fetch joins) uses its first member and discards the rest;
 * an invalid first member means the field is ignored (RFC 9111 §5.1).
 */
export function ageValue(headers: HeaderList): number {
  const raw = getCombinedHeader(headers, 'age');
  if (raw === null) return 0;
  const [first = ''] = raw.split(',');
  return parseDeltaSeconds(first.trim()) ?? 0;
}

/**
 * `corrected_initial_age` of RFC 9111 §4.2.3, in seconds (fractional, ms precision):
 * `max(apparent_age, age_value + response_delay)`, where
 * `apparent_age = max(0, response_time − date_value)` (in whole seconds, as `Date` is) and
 * `response_delay = response_time − request_time`.
 */
export function correctedInitialAge(
  headers: HeaderList,
  requestTime: number,
  responseTime: number,
): number {
  // `Date` has whole seconds: compared with the whole second of receipt, a `Date` this cache
  // added at receipt (stored-headers.ts) gives an apparent age of 0, not up to a second.
  const receivedSecond = Math.floor(responseTime / 1000) * 1000;
  const apparentAge = Math.max(0, receivedSecond - responseDate(headers, responseTime)) / 1000;
  const responseDelay = Math.max(0, responseTime - requestTime) / 1000;
  const correctedAgeValue = ageValue(headers) + responseDelay;
  return Math.min(Math.max(apparentAge, correctedAgeValue), DELTA_SECONDS_MAX);
}

/** The time-dependent part of a {@link CacheMeta}. */
export interface FreshnessTimes {
  readonly initialAge: number;
  readonly freshUntil: number;
  readonly staleWhileRevalidateUntil: number;
  readonly staleIfErrorUntil: number;
  readonly mustRevalidate: boolean;
  readonly lifetime: FreshnessLifetime;
}

/**
 * Absolute freshness and stale windows of a response received at `responseTime`.
 *
 * `freshUntil = response_time + (freshness_lifetime − corrected_initial_age)`, so that
 * `now < freshUntil` ⇔ `freshness_lifetime > current_age` (§4.2, §4.2.3).
 *
 * The RFC 5861 windows start at `freshUntil`. `must-revalidate` and `no-cache` close both
 * (RFC 9111 §4.2.4: a cache MUST NOT generate a stale response when `no-cache` or
 * `must-revalidate` prohibits it; §5.2.2.2: with `must-revalidate`, a cache that cannot reach
 * the origin MUST answer 504). `proxy-revalidate` applies to shared caches only and is ignored.
 */
export function freshnessTimes(
  status: number,
  headers: HeaderList,
  requestTime: number,
  responseTime: number,
  options: FreshnessOptions = {},
): FreshnessTimes {
  const cacheControl = parseCacheControl(getCombinedHeader(headers, 'cache-control'));
  const lifetime = freshnessLifetime(status, headers, responseTime, options, cacheControl);
  const initialAge = correctedInitialAge(headers, requestTime, responseTime);
  const freshUntil = responseTime + (lifetime.seconds - initialAge) * 1000;
  const mustRevalidate = cacheControl.mustRevalidate || cacheControl.noCache;
  const window = (seconds: number | undefined): number =>
    mustRevalidate || seconds === undefined ? freshUntil : freshUntil + seconds * 1000;
  return {
    initialAge,
    freshUntil,
    staleWhileRevalidateUntil: window(cacheControl.staleWhileRevalidate),
    staleIfErrorUntil: window(cacheControl.staleIfError),
    mustRevalidate,
    lifetime,
  };
}
