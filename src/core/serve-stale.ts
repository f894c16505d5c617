/**
 * Whether a stale response may still be served (RFC 5861 `stale-while-revalidate` and
 * `stale-if-error`, pingora `serve_stale_*`). `must-revalidate` (and `no-cache`, recorded in the
 * same flag) forbids both: such a response is never used stale.
 */
import type { CacheMeta } from './meta.ts';

/** Whether `meta` may be served while a background request revalidates it, at time `now` (ms). */
export function canServeStaleWhileRevalidate(meta: CacheMeta, now: number): boolean {
  return withinStaleWindow(meta, meta.staleWhileRevalidateUntil, now);
}

/** Whether `meta` may be served because the origin failed, at time `now` (ms). */
export function canServeStaleIfError(meta: CacheMeta, now: number): boolean {
  return withinStaleWindow(meta, meta.staleIfErrorUntil, now);
}

function withinStaleWindow(meta: CacheMeta, until: number, now: number): boolean {
  // A window that ends at (or before) `freshUntil` is an absent directive.
  return !meta.mustRevalidate && until > meta.freshUntil && now <= until;
}
