/**
 * Age and remaining freshness of a stored response at a given time, for the `Age` header
 * (RFC 9111 §5.1) and the `ttl` parameter of `Cache-Status` (RFC 9211 §2.3).
 */

import type { CacheMeta } from '../meta.ts';

type TimedMeta = Pick<CacheMeta, 'initialAge' | 'responseTime' | 'freshUntil'>;

/**
 * `current_age` (RFC 9111 §4.2.3) in whole seconds:
 * `corrected_initial_age + resident_time`, rounded down, never negative (a clock that went
 * backwards gives no negative resident time).
 */
export function currentAge(meta: TimedMeta, now: number): number {
  return Math.floor(exactAge(meta, now));
}

/**
 * `current_age` without rounding, in seconds: what request directives compare against, so that
 * `max-age=0` (a reload) refuses a response stored half a second ago (RFC 9111 §5.2.1.1).
 */
export function exactAge(meta: TimedMeta, now: number): number {
  const residentTime = Math.max(0, now - meta.responseTime) / 1000;
  return Math.max(0, meta.initialAge + residentTime);
}

/** Whole seconds until the response becomes stale; 0 or negative once it is stale. */
export function ttl(meta: TimedMeta, now: number): number {
  return Math.floor((meta.freshUntil - now) / 1000);
}

/** Whether the stored response is fresh at `now` (freshness_lifetime > current_age, §4.2). */
export function isFreshAt(meta: TimedMeta, now: number): boolean {
  return now < meta.freshUntil;
}
