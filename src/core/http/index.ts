/**
 * RFC 9111 semantics of a private cache: parsing, freshness, storability, reuse, conditional
 * requests, 304 freshening and `Vary`. Pure functions over plain data; no clock is read here —
 * every time is passed in. This index lists what the worker (`src/sw`) uses; the core's own
 * modules import the files directly.
 */

export { currentAge, ttl } from './age.ts';
export { isReusablePostResponse, responseCacheability } from './cacheability.ts';
export type { RequestSnapshot } from './cacheability.ts';
export { isNotModified, revalidationHeaders } from './conditional.ts';
export { formatHttpDate } from './dates.ts';
export {
  freshenWith304,
  freshenWithHead,
  identifiesStoredResponse,
  merge304Headers,
} from './merge-304.ts';
export {
  canServeDisconnected,
  canServeStaleIfError,
  evaluateReuse,
  reusableOnReload,
} from './request-directives.ts';
export type { ReuseDecision } from './request-directives.ts';
export { varianceHash, varyMatchesNothing } from './variance.ts';
export { clearsCache, invalidatedUrls, isUnsafeMethod } from './invalidation.ts';
export { ifRangeAllows, parseRange } from './range.ts';
export { hasContentCoding } from './content-coding.ts';
export { parseContentRange } from './content-range.ts';
export type { ContentRange } from './content-range.ts';
export { partialCacheability, pieceAction } from './partial.ts';
export type { PartialCacheability, PartialRefusal, Representation } from './partial.ts';
export { sameRepresentation, strongValidator } from './strong-validator.ts';
export type { StrongValidator } from './strong-validator.ts';
export type { ByteRange } from './range.ts';
export { withoutHopByHop } from './stored-headers.ts';
export {
  equivalentModuloSearchVariance,
  isDefaultSearchVariance,
  parseNoVarySearch,
  withoutQuery,
} from './no-vary-search.ts';
export {
  inPreferredLanguage,
  liveVariants,
  offerVariantTags,
  preferredLanguageVariant,
  selectNotModified,
} from './variant-selection.ts';
export type { VariantOffer } from './variant-selection.ts';
