import { describe, expect, it } from 'vitest';
import { getHeader } from '../meta.ts';
import { ttl } from './age.ts';
import { partialCacheability, pieceAction, type PartialCacheability } from './partial.ts';

const NOW = Date.UTC(2024, 0, 15, 12);
const TIMING = { requestTime: NOW, responseTime: NOW };
const REQUEST = {
  method: 'GET',
  url: 'https://example.test/video.webm',
  headers: new Headers({ range: 'bytes=0-9' }),
};
/** A 206 for bytes 0-9 of 100, strong ETag, fresh for a minute. */
const PIECE: Record<string, string> = {
  'content-range': 'bytes 0-9/100',
  'content-length': '10',
  'content-type': 'video/webm',
  etag: '"v1"',
  'cache-control': 'max-age=60',
};

function evaluate(headers: Record<string, string | null>, status = 206): PartialCacheability {
  const init = Object.entries({ ...PIECE, ...headers }).filter(
    (entry): entry is [string, string] => entry[1] !== null,
  );
  return partialCacheability(
    REQUEST,
    { status, statusText: 'Partial Content', headers: new Headers(init) },
    TIMING,
  );
}

describe('partialCacheability', () => {
  it('stores a 206 with the full length and a strong validator as a piece of the 200', () => {
    const result = evaluate({});
    if (!result.cacheable) throw new Error(result.detail);
    expect(result.range).toEqual({ start: 0, end: 9, length: 100 });
    expect(result.representation).toEqual({ length: 100, validator: { etag: '"v1"' } });
    expect(result.meta.status).toBe(200);
    expect(getHeader(result.meta.headers, 'content-length')).toBe('100');
    expect(getHeader(result.meta.headers, 'content-range')).toBeNull();
    expect(getHeader(result.meta.headers, 'content-type')).toBe('video/webm');
    expect(ttl(result.meta, NOW)).toBe(60);
  });

  it('takes a Last-Modified that §8.8.2.2 makes strong', () => {
    const result = evaluate({
      etag: null,
      'last-modified': 'Mon, 15 Jan 2024 10:00:00 GMT',
      date: 'Mon, 15 Jan 2024 12:00:00 GMT',
    });
    expect(result.cacheable && result.representation.validator).toEqual({
      lastModified: Date.UTC(2024, 0, 15, 10),
    });
  });

  it.each<{ why: string; headers: Record<string, string | null>; status?: number; detail: string }>(
    [
      { why: 'a 200 is not a piece', headers: {}, status: 200, detail: 'not-partial' },
      {
        why: 'no Content-Range',
        headers: { 'content-range': null },
        detail: 'invalid-content-range',
      },
      {
        why: 'multipart/byteranges (no top-level Content-Range)',
        headers: { 'content-range': null, 'content-type': 'multipart/byteranges; boundary=x' },
        detail: 'invalid-content-range',
      },
      {
        why: 'an invalid Content-Range',
        headers: { 'content-range': 'bytes 9-0/100' },
        detail: 'invalid-content-range',
      },
      {
        why: 'an unknown length',
        headers: { 'content-range': 'bytes 0-9/*' },
        detail: 'unknown-length',
      },
      {
        why: 'Content-Range disagreeing with Content-Length',
        headers: { 'content-length': '11' },
        detail: 'length-mismatch',
      },
      {
        why: 'a Content-Length that is not a number',
        headers: { 'content-length': '10, 10' },
        detail: 'length-mismatch',
      },
      {
        why: 'a content coding',
        headers: { 'content-encoding': 'gzip' },
        detail: 'content-encoding',
      },
      { why: 'a weak validator', headers: { etag: 'W/"v1"' }, detail: 'weak-validator' },
      { why: 'no validator', headers: { etag: null }, detail: 'weak-validator' },
      {
        why: 'no-store (§3 as for the 200)',
        headers: { 'cache-control': 'no-store' },
        detail: 'no-store',
      },
    ],
  )('refuses $why', ({ headers, status, detail }) => {
    const result = evaluate(headers, status);
    expect(result.cacheable ? 'stored' : result.detail).toBe(detail);
  });

  it('accepts identity as no content coding', () => {
    expect(evaluate({ 'content-encoding': 'identity' }).cacheable).toBe(true);
  });
});

describe('pieceAction', () => {
  const v1 = { length: 100, validator: { etag: '"v1"' } };
  it('creates, adds to the same representation, replaces another one', () => {
    expect(pieceAction(undefined, v1)).toBe('create');
    expect(pieceAction(v1, { ...v1 })).toBe('add');
    expect(pieceAction(v1, { ...v1, validator: { etag: '"v2"' } })).toBe('replace');
    expect(pieceAction(v1, { ...v1, validator: { lastModified: 5 } })).toBe('replace');
  });

  it('replaces when the length changes under the same validator', () => {
    expect(pieceAction(v1, { ...v1, length: 101 })).toBe('replace');
  });
});
