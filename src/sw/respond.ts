/**
 * Building the responses the worker hands to the page: from a stored entry, or from the
 * origin's response with our `Cache-Status` added.
 */
import { currentAge, ttl, withoutHopByHop } from '../core/http/index.ts';
import type { CacheMeta } from '../core/meta.ts';
import type { HitHandler } from '../core/storage.ts';
import { hitToBody } from './body-stream.ts';
import { appendCacheStatus, formatCacheStatus, type CacheStatus } from './cache-status-format.ts';

/**
 * Our `Cache-Status` member of each response built here (and of the headers it is built from),
 * for the stats: recorded as written, never parsed back from the header.
 */
const ownMembers = new WeakMap<Headers | Response, string>();

/** Our `Cache-Status` member of a response this module built; `null` for any other. */
export function ownCacheStatus(response: Response): string | null {
  return ownMembers.get(response) ?? null;
}

/** A response with `headers` from {@link hitHeaders}, keeping their recorded member. */
export function answer(
  body: BodyInit | null,
  status: number,
  statusText: string,
  headers: Headers,
): Response {
  const response = new Response(body, { status, statusText, headers });
  const member = ownMembers.get(headers);
  if (member !== undefined) ownMembers.set(response, member);
  return response;
}

/** Statuses whose responses have no body (Fetch "null body status"). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Headers a 304 carries from the stored response (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
];

/**
 * The stored response for `method` (no body for HEAD), with `Age`, and our `Cache-Status`
 * carrying the remaining freshness as `ttl`. Its body is the hit's Blob when the storage has one
 * (see {@link hitToBody}), else a stream that reads the hit.
 */
export async function storedResponse(
  meta: CacheMeta,
  hit: HitHandler,
  method: string,
  now: number,
  status: CacheStatus,
): Promise<Response> {
  const withBody = method !== 'HEAD' && !NULL_BODY_STATUS.has(meta.status);
  if (!withBody) void hit.finish();
  const headers = hitHeaders(meta, now, status, () => true);
  return answer(withBody ? await hitToBody(hit) : null, meta.status, meta.statusText, headers);
}

/** A 304 for the page's own conditional request that the stored response satisfies. */
export function notModifiedResponse(meta: CacheMeta, now: number, status: CacheStatus): Response {
  const headers = hitHeaders(meta, now, status, (name) => NOT_MODIFIED_HEADERS.includes(name));
  return answer(null, 304, 'Not Modified', headers);
}

/** The stored headers that `keep` selects, with `Age` and our `Cache-Status` (with `ttl`). */
export function hitHeaders(
  meta: CacheMeta,
  now: number,
  status: CacheStatus,
  keep: (name: string) => boolean,
): Headers {
  const headers = new Headers();
  for (const [name, value] of withoutHopByHop(meta.headers)) {
    if (keep(name)) headers.append(name, value);
  }
  headers.set('age', String(currentAge(meta, now)));
  const member = formatCacheStatus({ ...status, ttl: ttl(meta, now) });
  headers.set('cache-status', appendCacheStatus(headers.get('cache-status'), member));
  ownMembers.set(headers, member);
  return headers;
}

/**
 * The origin's response with our `Cache-Status` member appended. `body` replaces the original
 * body (for a miss being stored, the fan-out's page branch).
 */
export function forwardedResponse(
  response: Response,
  status: CacheStatus,
  body: ReadableStream<Uint8Array> | null = response.body,
): Response {
  // Opaque and error responses have immutable, unreadable headers: pass them through as they are.
  if (
    response.type === 'opaque' ||
    response.type === 'opaqueredirect' ||
    response.type === 'error'
  ) {
    return response;
  }
  const headers = new Headers(response.headers);
  const member = formatCacheStatus(status);
  headers.set('cache-status', appendCacheStatus(headers.get('cache-status'), member));
  ownMembers.set(headers, member);
  const forwarded = NULL_BODY_STATUS.has(response.status) ? null : body;
  return answer(forwarded, response.status, response.statusText, headers);
}

/** The 504 that `only-if-cached` gets when nothing usable is stored (RFC 9111 §5.2.1.7). */
export function gatewayTimeout(status: CacheStatus): Response {
  const member = formatCacheStatus(status);
  const headers = new Headers({ 'cache-status': member });
  ownMembers.set(headers, member);
  return answer(null, 504, 'Gateway Timeout', headers);
}
