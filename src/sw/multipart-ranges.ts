/**
 * Several ranges in one answer, as `multipart/byteranges` (RFC 9110 §14.6), as a feature
 * (`features: [multipartRanges()]`): browsers never ask for several ranges themselves, so a
 * worker without it answers such a request with the whole 200, as §14.2 allows.
 */
import type { ByteRange } from '../core/http/index.ts';
import type { CacheMeta } from '../core/meta.ts';
import { getHeader } from '../core/meta.ts';
import { StorageError, type HitHandler } from '../core/storage.ts';
import { hitPullStream } from './body-stream.ts';
import type { CacheStatus } from './cache-status-format.ts';
import { defineFeature, type HttpCacheFeature } from './features.ts';
import { contentRange, WHOLE_BODY_FIELDS } from './range-response.ts';
import { answer, hitHeaders } from './respond.ts';

export type MultipartRanges = typeof multipleRanges;

/** Requests for several byte ranges answered as one `multipart/byteranges` 206. */
export function multipartRanges(): HttpCacheFeature {
  return defineFeature('multipart-ranges', { multipartRanges: multipleRanges });
}

/**
 * §15.3.7.2 and §14.6: several ranges as `multipart/byteranges`, each part with the stored
 * `Content-Type` and its own `Content-Range`. The top-level `Content-Type` is the multipart one.
 */
export function multipleRanges(
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
  return answer(body.stream, 206, 'Partial Content', headers);
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
