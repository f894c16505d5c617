/**
 * Range requests answered from a stored response (RFC 9110 §14): a 206 for one range, a
 * `multipart/byteranges` 206 for several (§14.6), a 416 when no range fits the body (§15.5.17).
 * The body comes from the hit handler, which seeks to each range: only the requested bytes are
 * read from storage. One range of a body kept as Blobs is a slice of them (no bytes read).
 */
import { hasContentCoding, ifRangeAllows, parseRange, type ByteRange } from '../core/http/index.ts';
import type { CacheMeta } from '../core/meta.ts';
import { getHeader } from '../core/meta.ts';
import { StorageError, type HitHandler } from '../core/storage.ts';
import { hitPullStream, hitToBody } from './body-stream.ts';
import type { CacheStatus } from './cache-status.ts';
import { hitHeaders } from './respond.ts';

/** Stored fields that describe the whole body, replaced in a partial response. */
const WHOLE_BODY_FIELDS = new Set(['content-length', 'content-range']);

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
 * - the hit cannot seek or its size is unknown (a body still being written is followed whole).
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
      return multipleRanges(meta, hit, spec.ranges, size, now, status);
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
  return new Response(await hitToBody(hit), {
    status: 206,
    statusText: 'Partial Content',
    headers,
  });
}

/**
 * §15.3.7.2 and §14.6: several ranges as `multipart/byteranges`, each part with the stored
 * `Content-Type` and its own `Content-Range`. The top-level `Content-Type` is the multipart one.
 */
function multipleRanges(
  meta: CacheMeta,
  hit: HitHandler,
  ranges: readonly ByteRange[],
  size: number,
  now: number,
  status: CacheStatus,
): Response {
  const boundary = newBoundary();
  const contentType = getHeader(meta.headers, 'content-type');
  const body = multipartBody(hit, ranges, size, boundary, contentType);
  const headers = hitHeaders(
    meta,
    now,
    status,
    (name) => !WHOLE_BODY_FIELDS.has(name) && name !== 'content-type',
  );
  headers.set('content-type', `multipart/byteranges; boundary=${boundary}`);
  headers.set('content-length', String(body.length));
  return new Response(body.stream, { status: 206, statusText: 'Partial Content', headers });
}

/** §15.5.17: no range overlaps the body; `Content-Range` tells the client its size. */
function notSatisfiable(meta: CacheMeta, size: number, now: number, status: CacheStatus): Response {
  const headers = hitHeaders(meta, now, status, () => false);
  headers.set('content-range', `bytes */${size}`);
  return new Response(null, { status: 416, statusText: 'Range Not Satisfiable', headers });
}

function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** A boundary that cannot occur by chance in the body (RFC 2046 §5.1.1: at most 70 chars). */
function newBoundary(): string {
  const random = crypto.getRandomValues(new Uint8Array(16));
  return `sw-http-cache-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

interface MultipartBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Exact length in bytes, for `Content-Length`. */
  readonly length: number;
}

/**
 * The `multipart/byteranges` body: each part's header, then its bytes read by seeking the hit
 * handler to the part (every storage re-seeks: memory and IndexedDB reset their position on each
 * `seek`). Pulls one chunk at a time; a storage error or a part shorter than its range errors
 * the stream (a network error for the page, never a misframed body).
 */
function multipartBody(
  hit: HitHandler,
  ranges: readonly ByteRange[],
  size: number,
  boundary: string,
  contentType: string | null,
): MultipartBody {
  const parts = ranges.map((range, index) => {
    const fields = [
      `${index === 0 ? '' : '\r\n'}--${boundary}`,
      ...(contentType === null ? [] : [`Content-Type: ${contentType}`]),
      `Content-Range: ${contentRange(range, size)}`,
      '',
      '',
    ];
    return { range, head: byteString(fields.join('\r\n')) };
  });
  const tail = byteString(`\r\n--${boundary}--\r\n`);
  const length = parts.reduce(
    (total, { range, head }) => total + head.byteLength + range.end - range.start + 1,
    tail.byteLength,
  );

  let index = 0;
  /** Bytes of the current part still to read; `null` before its header went out. */
  let remaining: number | null = null;
  const stream = hitPullStream(hit, async (controller) => {
    for (;;) {
      const part = parts[index];
      if (part === undefined) {
        controller.enqueue(tail);
        controller.close();
        await hit.finish();
        return;
      }
      if (remaining === null) {
        hit.seek(part.range.start, part.range.end + 1);
        remaining = part.range.end - part.range.start + 1;
        controller.enqueue(part.head);
        return;
      }
      const chunk = await hit.readBody();
      if (chunk !== null && chunk.byteLength > 0) {
        remaining -= chunk.byteLength;
        if (remaining < 0) throw new StorageError('a range read returned too many bytes');
        controller.enqueue(chunk);
        return;
      }
      if (chunk === null) {
        if (remaining !== 0) throw new StorageError('a range read ended early');
        index++;
        remaining = null;
      }
    }
  });
  return { stream, length };
}

/** Header text as bytes, one byte per char (field values are byte strings, not UTF-8). */
function byteString(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}
