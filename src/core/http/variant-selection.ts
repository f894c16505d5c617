/**
 * Choosing among a URL's stored variants when none matches the request's selecting headers
 * exactly (RFC 9111 §4.1): by `Content-Language` (the request's first-choice language), or by
 * asking the origin which one applies: the request carries the variants' entity tags in
 * `If-None-Match` (§4.3.1) and the 304 names the one to serve (§4.3.4). Pure: the worker lists
 * the variants (`Storage.listVariants`) and looks the chosen one up. See
 * docs/decisions/rfc9111-semantics.md, "Vary".
 */
import { getCombinedHeader, type CacheMeta } from '../meta.ts';
import { parseEntityTag } from './conditional.ts';
import { identifiesStoredResponse } from './merge-304.ts';
import { prefersContentLanguage } from './negotiation.ts';

/** The most entity tags one `If-None-Match` offers: the newest variants' win. */
export const MAX_OFFERED_TAGS = 16;
/**
 * The longest `If-None-Match` value offered, in characters (servers commonly refuse header
 * lines over 8 KiB). The newest variant's tag is offered whatever its length, as a
 * revalidation of it would send it.
 */
export const MAX_OFFERED_LENGTH = 4096;

/** A stored variant as the selection sees it (a `StoredVariant`, or anything with a meta). */
interface Variant {
  readonly meta: CacheMeta;
}

/**
 * The variants that stand for the URL now, newest first: none created before the primary
 * slot's response, whose `created` is the tombstone of older variants (the scheme of
 * `HttpCache.cacheVaryLookup`: a lookup would treat those as absent).
 */
export function liveVariants<T extends Variant>(variants: readonly T[], primary: CacheMeta): T[] {
  return variants
    .filter(({ meta }) => meta.created >= primary.created)
    .sort((a, b) => b.meta.responseTime - a.meta.responseTime);
}

/** What a vary-miss offers the origin: the `If-None-Match` value and the variants it names. */
export interface VariantOffer<T> {
  readonly ifNoneMatch: string;
  /** The variants whose tag is offered, in the order given (newest first from {@link liveVariants}). */
  readonly variants: readonly T[];
}

/**
 * The entity tags of `variants` (newest first) for `If-None-Match`: each tag once, at most
 * {@link MAX_OFFERED_TAGS} and {@link MAX_OFFERED_LENGTH} characters; variants without a
 * well-formed tag are left out. `undefined` when no variant has one.
 */
export function offerVariantTags<T extends Variant>(
  variants: readonly T[],
): VariantOffer<T> | undefined {
  const tags: string[] = [];
  const offered: T[] = [];
  let length = 0;
  for (const variant of variants) {
    const tag = entityTagOf(variant.meta);
    if (tag === undefined) continue;
    if (!tags.includes(tag)) {
      const grown = length + (tags.length === 0 ? 0 : 2) + tag.length;
      if (tags.length === MAX_OFFERED_TAGS || (tags.length > 0 && grown > MAX_OFFERED_LENGTH)) {
        continue;
      }
      tags.push(tag);
      length = grown;
    }
    offered.push(variant);
  }
  return tags.length === 0 ? undefined : { ifNoneMatch: tags.join(', '), variants: offered };
}

/**
 * The offered variant a 304 selects (§4.3.4), or `undefined`: the newest one its `ETag` names
 * (strong or weak comparison, as `identifiesStoredResponse`). With one variant offered, a 304
 * without validators selects it too (as a revalidation's would); with several, only a
 * well-formed `ETag` can tell which one the origin means.
 */
export function selectNotModified<T extends Variant>(
  offered: readonly T[],
  notModified: Headers,
): T | undefined {
  const [only] = offered;
  if (offered.length === 1 && only !== undefined) {
    return identifiesStoredResponse(only.meta, notModified) ? only : undefined;
  }
  const etag = notModified.get('etag');
  if (etag === null || parseEntityTag(etag) === null) return undefined;
  return offered.find(({ meta }) => identifiesStoredResponse(meta, notModified));
}

/**
 * The newest variant that varies on `Accept-Language` alone and is in the language the
 * request prefers most (see `prefersContentLanguage`), or `undefined`.
 */
export function preferredLanguageVariant<T extends Variant>(
  variants: readonly T[],
  acceptLanguage: string | null,
): T | undefined {
  return variants.find(({ meta }) => inPreferredLanguage(meta, acceptLanguage));
}

/** Whether `meta` varies on `Accept-Language` alone and is in the request's first choice. */
export function inPreferredLanguage(meta: CacheMeta, acceptLanguage: string | null): boolean {
  const varyOnLanguage = meta.vary.length === 1 && meta.vary[0] === 'accept-language';
  return (
    varyOnLanguage &&
    prefersContentLanguage(acceptLanguage, getCombinedHeader(meta.headers, 'content-language'))
  );
}

/** The stored `ETag` as it is sent back, or `undefined` when it is absent or malformed. */
function entityTagOf(meta: CacheMeta): string | undefined {
  const value = meta.validators.etag;
  const tag = value === undefined ? null : parseEntityTag(value);
  return tag === null ? undefined : `${tag.weak ? 'W/' : ''}${tag.opaque}`;
}
