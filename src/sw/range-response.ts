/**
 * Range requests answered from a stored response (RFC 9110 §14): a 206 for one range, a
 * `multipart/byteranges` 206 for several (§14.6, with the `multipartRanges()` feature; the whole
 * 200 without it), a 416 when no range fits the body (§15.5.17).
 * The body comes from the hit handler, which seeks to each range: only the requested bytes are
 * read from storage. One range of a body kept as Blobs is a slice of them (no bytes read).
 */
import { hasContentCoding, ifRangeAllows, parseRange, type ByteRange } from '../core/http/index.ts';
import type { CacheMeta } from '../core/meta.ts';
import type { HitHandler } from '../core/storage.ts';
import { hitToBody } from './body-stream.ts';
import type { CacheStatus } from './cache-status-format.ts';
import type { MultipartRanges } from './multipart-ranges.ts';
import { answer, hitHeaders } from './respond.ts';

/** Stored fields that describe the whole body, replaced in a partial response. */
export const WHOLE_BODY_FIELDS = new Set(['content-length', 'content-range']);

/**
 * The 206 or 416 that answers `request`'s `Range` from the stored response, or `null` when the
 * caller should serve the stored response as usual (a 200, or a 304 decided before this). It is
 * `null` — and `hit` is left untouched — when:
 * - the method is not GET: GET is the only method range handling is defined for, and a server
 *   MUST ignore `Range` on others (§14.2), so a HEAD gets the 200's headers;
 * - there is no `Range`, or it must or may be ignored (other unit, invalid, excessive: see
 *   `parseRange`);
 * - `If-Range` does not match the stored validator (§13.1.5: the server MUST ignore `Range`);
 * - the stored status is not 200 (§14.2: `Range` applies only where the answer would be 200);
 * - the stored response names a content coding: the stored body is the decoded one (the browser
 *   decodes as it receives), so its byte offsets are not the representation's (§14.1.2);
 * - the hit cannot seek or its size is unknown (a body still being written is followed whole);
 * - it asks for several ranges and `multipart` (the `multipartRanges()` feature) is not given.
 *
 * Otherwise the response owns `hit`: its body stream finishes it, or it is finished at once when
 * there is no body (416).
 */
export async function rangeResponse(
  request: Request,
  meta: CacheMeta,
  hit: HitHandler,
  now: number,
  status: CacheStatus,
  multipart?: MultipartRanges,
): Promise<Response | null> {
  if (request.method !== 'GET') return null;
  const range = request.headers.get('range');
  if (range === null || meta.status !== 200 || hasContentCoding(meta.headers)) return null;
  if (!ifRangeAllows(request.headers.get('if-range'), meta, now)) return null;
  const size = hit.size;
  if (!hit.canSeek || size === undefined) return null;

  const spec = parseRange(range, size);
  switch (spec.kind) {
    case 'none':
      return null;
    case 'unsatisfiable':
      void hit.finish().catch(() => undefined);
      return notSatisfiable(meta, size, now, status);
    case 'single':
      return singleRange(meta, hit, spec, size, now, status);
    case 'multi':
      // A server may ignore `Range` (§14.2): without the feature, several ranges get the 200.
      return multipart?.(meta, hit, spec.ranges, size, now, status) ?? null;
  }
}

/** §15.3.7.1: one range, with `Content-Range` and the stored representation's fields. */
async function singleRange(
  meta: CacheMeta,
  hit: HitHandler,
  range: ByteRange,
  size: number,
  now: number,
  status: CacheStatus,
): Promise<Response> {
  const headers = hitHeaders(meta, now, status, (name) => !WHOLE_BODY_FIELDS.has(name));
  headers.set('content-range', contentRange(range, size));
  headers.set('content-length', String(range.end - range.start + 1));
  hit.seek(range.start, range.end + 1);
  return answer(await hitToBody(hit), 206, 'Partial Content', headers);
}

/** §15.5.17: no range overlaps the body; `Content-Range` tells the client its size. */
function notSatisfiable(meta: CacheMeta, size: number, now: number, status: CacheStatus): Response {
  const headers = hitHeaders(meta, now, status, () => false);
  headers.set('content-range', `bytes */${size}`);
  return answer(null, 416, 'Range Not Satisfiable', headers);
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
