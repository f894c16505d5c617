/**
 * Storing partial content (RFC 9111 §3.3, §3.4): whether a 206 may become a piece of a sparse
 * entry, and what it does to the pieces already stored for the same URL.
 *
 * A piece is stored with the meta the whole response would have (status 200, `Content-Length`
 * the full length, no `Content-Range`): freshness, `Vary` and the other rules of §3 apply to it
 * as to that 200, and a sparse entry whose bytes are all present is that 200.
 */
import type { CacheMeta, HeaderList } from '../meta.ts';
import { headerListFrom } from '../meta.ts';
import { NoCacheReason } from '../phase.ts';
import type {
  CacheabilityOptions,
  RequestSnapshot,
  ResponseSnapshot,
  Timing,
} from './cacheability.ts';
import { metaFromResponse, type UncacheableDetail } from './cacheability.ts';
import { hasContentCoding } from './content-coding.ts';
import { bodyMatchesRange, parseContentRange, type ContentRange } from './content-range.ts';
import { storedHeaders } from './stored-headers.ts';
import { sameRepresentation, strongValidator, type StrongValidator } from './strong-validator.ts';

/** Why a 206 is not stored as a piece (for `Cache-Status; detail=` and logs). */
export type PartialRefusal =
  | UncacheableDetail
  /** Not a 206. */
  | 'not-partial'
  /** No `Content-Range`, or an invalid one (`multipart/byteranges` has none at the top). */
  | 'invalid-content-range'
  /** `Content-Range: bytes a-b/*`: the piece cannot be placed without the full length. */
  | 'unknown-length'
  /** `Content-Length` disagrees with the range `Content-Range` names. */
  | 'length-mismatch'
  /** A content coding: the body's offsets are not the representation's (`content-coding.ts`). */
  | 'content-encoding'
  /** No strong validator: pieces of two versions could not be told apart (§3.4). */
  | 'weak-validator';

/** What identifies the representation a sparse entry holds pieces of. */
export interface Representation {
  /** The full length, from `Content-Range`. */
  readonly length: number;
  readonly validator: StrongValidator;
}

export type PartialCacheability =
  | {
      readonly cacheable: true;
      /** The meta of the whole response: status 200, `Content-Length` the full length. */
      readonly meta: CacheMeta;
      /** Where the body goes in the representation. */
      readonly range: ContentRange;
      readonly representation: Representation;
    }
  | {
      readonly cacheable: false;
      readonly reason: NoCacheReason;
      readonly detail: PartialRefusal;
    };

/** Fields of a 206 that describe the part, not the representation. */
const PART_FIELDS = new Set(['content-range', 'content-length']);

/**
 * Whether a 206 may be stored as a piece of a sparse entry, and with what meta:
 * - a single-part 206 whose `Content-Range` names the full length (§14.4), and whose
 *   `Content-Length`, when present, is that range's length;
 * - no content coding (see `content-coding.ts`);
 * - a strong validator (§3.4 combines only pieces whose strong validators match);
 * - otherwise the storage rules of §3 for the 200 it is part of (`metaFromResponse`).
 */
export function partialCacheability(
  request: RequestSnapshot,
  response: ResponseSnapshot,
  timing: Timing,
  options: CacheabilityOptions = {},
): PartialCacheability {
  const refuse = (detail: PartialRefusal): PartialCacheability => ({
    cacheable: false,
    reason: NoCacheReason.OriginNotCache,
    detail,
  });
  if (response.status !== 206) return refuse('not-partial');
  const headers = headerListFrom(response.headers);
  const range = parseContentRange(response.headers.get('content-range'));
  if (!range.ok)
    return refuse(range.problem === 'unknown-length' ? 'unknown-length' : 'invalid-content-range');
  const declared = response.headers.get('content-length');
  if (
    declared !== null &&
    !(/^\d+$/.test(declared.trim()) && bodyMatchesRange(range, Number(declared)))
  ) {
    return refuse('length-mismatch');
  }
  if (hasContentCoding(headers)) return refuse('content-encoding');
  const validator = strongValidator(headers, timing.responseTime);
  if (validator === null) return refuse('weak-validator');

  const whole = storedHeaders(wholeHeaders(headers, range.length), timing.responseTime);
  const verdict = metaFromResponse(request, 200, 'OK', whole, timing, options);
  if (!verdict.cacheable) return verdict;
  const { start, end, length } = range;
  return {
    cacheable: true,
    meta: verdict.meta,
    range: { start, end, length },
    representation: { length, validator },
  };
}

/** The 206's fields as the 200's: no `Content-Range`, the full length as `Content-Length`. */
function wholeHeaders(headers: HeaderList, length: number): HeaderList {
  return [
    ...headers.filter(([name]) => !PART_FIELDS.has(name)),
    ['content-length', String(length)],
  ];
}

/**
 * What a new piece does to a sparse entry (§3.4):
 * - `create`: nothing stored yet;
 * - `add`: same strong validator and the same length: the pieces combine, and the new
 *   response's fields replace the stored ones;
 * - `replace`: another representation (validator changed), or the same validator with another
 *   length (the origin contradicts itself): the stored pieces are dropped, the new one kept.
 *
 * Bytes of the new piece that overlap stored ones must be equal; when they are not, the origin
 * sent two contents under one strong validator and the storage drops the entry (see
 * `docs/partial-content.md`).
 */
export function pieceAction(
  stored: Representation | undefined,
  incoming: Representation,
): 'create' | 'add' | 'replace' {
  if (stored === undefined) return 'create';
  if (!sameRepresentation(stored.validator, incoming.validator)) return 'replace';
  return stored.length === incoming.length ? 'add' : 'replace';
}
