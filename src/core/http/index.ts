/**
 * RFC 9111 semantics of a private cache: parsing, freshness, storability, reuse, conditional
 * requests, 304 freshening and `Vary`. Pure functions over plain data; no clock is read here —
 * every time is passed in.
 */

export { currentAge, exactAge, isFreshAt, ttl } from './age.ts';
export {
  DELTA_SECONDS_MAX,
  parseCacheControl,
  parseDeltaSeconds,
  requestCacheControl,
  splitDirectives,
} from './cache-control.ts';
export type { CacheControl, Directive } from './cache-control.ts';
export {
  cacheTags,
  metaFromResponse,
  responseCacheability,
  UNDERSTOOD_STATUS,
} from './cacheability.ts';
export type {
  Cacheability,
  CacheabilityOptions,
  RequestSnapshot,
  ResponseSnapshot,
  Timing,
  UncacheableDetail,
} from './cacheability.ts';
export {
  isNotModified,
  parseEntityTag,
  parseEntityTagList,
  revalidationHeaders,
  strongMatch,
  weakMatch,
} from './conditional.ts';
export type { EntityTag } from './conditional.ts';
export { formatHttpDate, parseHttpDate } from './dates.ts';
export {
  ageValue,
  correctedInitialAge,
  DEFAULT_HEURISTIC_CAP_SECONDS,
  DEFAULT_HEURISTIC_FRACTION,
  freshnessLifetime,
  freshnessTimes,
  HEURISTICALLY_CACHEABLE_STATUS,
  responseDate,
} from './freshness.ts';
export type {
  FreshnessLifetime,
  FreshnessOptions,
  FreshnessSource,
  FreshnessTimes,
} from './freshness.ts';
export { freshenWith304, identifiesStoredResponse, merge304Headers } from './merge-304.ts';
export type { FreshenResult } from './merge-304.ts';
export {
  canServeStaleIfError,
  canServeStaleWhileRevalidate,
  evaluateReuse,
} from './request-directives.ts';
export type { ReuseAction, ReuseDecision } from './request-directives.ts';
export { NOT_UPDATED_BY_304, storedHeaders } from './stored-headers.ts';
export {
  normalizeVaryValue,
  VARY_ANY,
  varianceHash,
  varyHeaderNames,
  varyMatches,
  varyMatchesNothing,
} from './variance.ts';
export { clearsCache, invalidatedUrls, isUnsafeMethod } from './invalidation.ts';
export { ifRangeAllows, MAX_OVERLAPPING_RANGES, MAX_RANGES, parseRange } from './range.ts';
export type { ByteRange, IgnoredRangeReason, RangeSpec } from './range.ts';
