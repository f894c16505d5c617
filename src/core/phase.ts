/**
 * Phases of a request's passage through the cache, and why caching was off (pingora
 * `CachePhase`, `NoCacheReason`, `HitStatus`).
 */

export const NoCacheReason = {
  /** The cache was never enabled for this request. */
  NeverEnabled: 'NeverEnabled',
  /** The origin said the response may not be stored. */
  OriginNotCache: 'OriginNotCache',
  /** The body was larger than the per-request maximum. */
  ResponseTooLarge: 'ResponseTooLarge',
  /** Storage failed (quota, closed database). */
  StorageError: 'StorageError',
  /** The origin failed while the response was proxied (it cut the body). */
  UpstreamError: 'UpstreamError',
  /** A bug or an unexpected exception in the cache. */
  InternalError: 'InternalError',
  /** Caching was put off; a later request may store it. */
  Deferred: 'Deferred',
  /** The lock writer gave up (uncacheable): this reader fetched on its own. */
  CacheLockGiveUp: 'CacheLockGiveUp',
  /** This reader waited for the lock too long and fetched on its own. */
  CacheLockTimeout: 'CacheLockTimeout',
} as const;
/** One of {@link NoCacheReason}, or a custom reason string. */
export type NoCacheReason = (typeof NoCacheReason)[keyof typeof NoCacheReason] | `Custom:${string}`;

export const CachePhaseName = {
  Disabled: 'disabled',
  Uninit: 'uninitialized',
  Bypass: 'bypass',
  CacheKey: 'key',
  Hit: 'hit',
  Miss: 'miss',
  Stale: 'stale',
  StaleUpdating: 'stale-updating',
  Expired: 'expired',
  Revalidated: 'revalidated',
  RevalidatedNoCache: 'revalidated-nocache',
} as const;
export type CachePhaseName = (typeof CachePhaseName)[keyof typeof CachePhaseName];

/** A phase; `disabled` and `revalidated-nocache` carry the reason. */
export type CachePhase =
  | { readonly name: 'disabled'; readonly reason: NoCacheReason }
  | { readonly name: 'revalidated-nocache'; readonly reason: NoCacheReason }
  | {
      readonly name: Exclude<CachePhaseName, 'disabled' | 'revalidated-nocache'>;
    };

export const HitStatus = {
  Expired: 'expired',
  ForceExpired: 'force_expired',
  FailedHitFilter: 'failed_hit_filter',
  Fresh: 'fresh',
} as const;
export type HitStatus = (typeof HitStatus)[keyof typeof HitStatus];

export function isFresh(status: HitStatus): boolean {
  return status === HitStatus.Fresh;
}

/** A transition was called in a phase that does not allow it: a programming error. */
export class PhaseError extends Error {
  override readonly name = 'PhaseError';
  constructor(
    readonly operation: string,
    readonly phase: CachePhase,
  ) {
    super(`${operation}() is not allowed in phase "${phase.name}"`);
  }
}
