import { BYTES_BODY_MAX } from './body-stream.ts';
import { describe, expect, it } from 'vitest';
import type { CacheMeta, HeaderList } from '../core/meta.ts';
import { getHeader } from '../core/meta.ts';
import type { HitHandler, Storage } from '../core/storage.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { bytes, keyOf, metaOf, store } from '../storage/testing/support.ts';
import type { CacheStatus } from './cache-status.ts';
import { multipleRanges } from './multipart-ranges.ts';
import { rangeResponse } from './range-response.ts';
import { newIdb } from '../storage/testing/idb.ts';

const SIZE = 100;
const BODY = bytes(SIZE);
const HEADERS: HeaderList = [
  ['content-type', 'video/mp4'],
  ['content-length', String(SIZE)],
  ['etag', '"v1"'],
  ['last-modified', 'Tue, 15 Nov 1994 08:12:31 GMT'],
  ['date', 'Wed, 16 Nov 1994 00:00:00 GMT'],
  ['cache-control', 'max-age=60'],
];
/** metaOf's response time is 1000 and it stays fresh until 61 000: Age 10, ttl 50. */
const NOW = 11_000;
const STATUS: CacheStatus = { hit: true, detail: 'memory' };

/** A hit handler that records what the response asked of it. */
class SpyHit implements HitHandler {
  readonly seeks: [number, number | undefined][] = [];
  /** Byte length of every chunk read. */
  readonly reads: number[] = [];
  finished = 0;
  /** Calls of `blob()`. */
  blobs = 0;
  constructor(
    private readonly inner: HitHandler,
    private readonly seekable = true,
  ) {}
  get canSeek(): boolean {
    return this.seekable && this.inner.canSeek;
  }
  get size(): number | undefined {
    return this.inner.size;
  }
  get source(): string {
    return this.inner.source;
  }
  seek(start: number, end?: number): void {
    this.seeks.push([start, end]);
    this.inner.seek(start, end);
  }
  async readBody(): Promise<Uint8Array | null> {
    const chunk = await this.inner.readBody();
    if (chunk !== null) this.reads.push(chunk.byteLength);
    return chunk;
  }
  blob(): Promise<Blob | null> {
    this.blobs++;
    return this.inner.blob?.() ?? Promise.resolve(null);
  }
  finish(): Promise<void> {
    this.finished++;
    return this.inner.finish();
  }
  get bytesRead(): number {
    return this.reads.reduce((a, b) => a + b, 0);
  }
}

async function storedHit(
  options: {
    storage?: Storage;
    headers?: HeaderList;
    status?: number;
    seekable?: boolean;
    body?: Uint8Array;
  } = {},
): Promise<{ meta: CacheMeta; hit: SpyHit }> {
  const storage = options.storage ?? new MemoryStorage();
  const key = keyOf('/video');
  const headers = options.headers ?? HEADERS;
  // As metaFromResponse does: the validators come from the stored fields.
  const validators = {
    etag: getHeader(headers, 'etag') ?? undefined,
    lastModified: getHeader(headers, 'last-modified') ?? undefined,
  };
  const meta = { ...metaOf(options.status ?? 200, headers), validators };
  await store(storage, key, options.body ?? BODY, 7, meta);
  const found = await storage.lookup(key);
  if (found === null) throw new Error('stored entry not found');
  return { meta: found.meta, hit: new SpyHit(found.hit, options.seekable) };
}

function get(headers: Record<string, string>, method = 'GET'): Request {
  return new Request('https://example.test/video', { method, headers });
}

/** The range response for the stored entry; `null` means the normal response instead. */
function respond(
  headers: Record<string, string>,
  { meta, hit }: { meta: CacheMeta; hit: HitHandler },
): Promise<Response | null> {
  return rangeResponse(get(headers), meta, hit, NOW, STATUS, multipleRanges);
}

async function bodyBytes(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** One char per byte, so binary bodies survive string splitting. */
function latin1(data: Uint8Array): string {
  return Array.from(data, (byte) => String.fromCharCode(byte)).join('');
}

interface Part {
  readonly headers: Record<string, string>;
  readonly data: Uint8Array;
}

/** A strict multipart/byteranges reader (RFC 2046 §5.1.1 framing, CRLF line ends). */
function parseMultipart(body: Uint8Array, boundary: string): Part[] {
  const text = latin1(body);
  const close = `\r\n--${boundary}--\r\n`;
  expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
  expect(text.endsWith(close)).toBe(true);
  const inner = text.slice(`--${boundary}\r\n`.length, text.length - close.length);
  return inner.split(`\r\n--${boundary}\r\n`).map((section) => {
    const split = section.indexOf('\r\n\r\n');
    expect(split).toBeGreaterThanOrEqual(0);
    const headers: Record<string, string> = {};
    for (const line of section.slice(0, split).split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const data = Uint8Array.from(section.slice(split + 4), (c) => c.charCodeAt(0));
    return { headers, data };
  });
}

function boundaryOf(response: Response): string {
  const match = /^multipart\/byteranges; boundary=(\S+)$/.exec(
    response.headers.get('content-type') ?? '',
  );
  expect(match).not.toBeNull();
  return match?.[1] ?? '';
}

describe('rangeResponse: one range', () => {
  it.each([
    { range: 'bytes=10-19', start: 10, end: 19 },
    { range: 'bytes=-5', start: 95, end: 99 },
    { range: 'bytes=90-', start: 90, end: 99 },
    { range: 'bytes=0-', start: 0, end: 99 },
    { range: 'bytes=98-1000', start: 98, end: 99 },
  ])('$range → 206 with exactly those bytes', async ({ range, start, end }) => {
    const { meta, hit } = await storedHit();
    const response = await respond({ range }, { meta, hit });
    expect(response?.status).toBe(206);
    expect(response?.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(response?.headers.get('content-length')).toBe(String(end - start + 1));
    expect(await bodyBytes(response!)).toEqual(BODY.slice(start, end + 1));
    expect(hit.seeks).toEqual([[start, end + 1]]);
    expect(hit.finished).toBe(1);
  });

  it('keeps the stored fields, with Age and Cache-Status, and no whole-body Content-Length', async () => {
    const { meta, hit } = await storedHit();
    const response = (await respond({ range: 'bytes=0-9' }, { meta, hit }))!;
    expect(response.statusText).toBe('Partial Content');
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('cache-control')).toBe('max-age=60');
    expect(response.headers.get('content-length')).toBe('10');
    expect(response.headers.get('age')).toBe('10');
    expect(response.headers.get('cache-status')).toBe('sw-http-cache; hit; ttl=50; detail=memory');
    await response.body?.cancel();
    expect(hit.finished).toBe(1);
  });

  it('reads only the bytes of the range from storage', async () => {
    const { meta, hit } = await storedHit();
    const response = (await respond({ range: 'bytes=40-44' }, { meta, hit }))!;
    await bodyBytes(response);
    // 40-44 spans two of the 7-byte chunks (35-41 and 42-48): 2 + 3 bytes, nothing else.
    expect(hit.reads).toEqual([2, 3]);
  });

  it('releases the hit when the page cancels the body', async () => {
    // Over the size handed over as bytes, so the range is streamed.
    const { meta, hit } = await storedHit({ body: bytes(BYTES_BODY_MAX + 1) });
    const response = (await respond({ range: 'bytes=0-50' }, { meta, hit }))!;
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(hit.finished).toBe(1);
    expect(hit.bytesRead).toBeLessThan(51);
  });
});

describe('rangeResponse: 416', () => {
  it.each(['bytes=100-', 'bytes=-0', 'bytes=200-300,500-'])(
    '%s → 416 with Content-Range bytes */size and no body',
    async (range) => {
      const { meta, hit } = await storedHit();
      const response = (await respond({ range }, { meta, hit }))!;
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${SIZE}`);
      expect(response.headers.get('cache-status')).toContain('hit');
      expect(response.headers.get('content-type')).toBeNull();
      expect(response.body).toBeNull();
      expect(hit.finished).toBe(1);
      expect(hit.seeks).toEqual([]);
    },
  );
});

describe('rangeResponse: several ranges', () => {
  it('leaves them to the whole 200 without the multipartRanges feature (RFC 9110 §14.2)', async () => {
    const { meta, hit } = await storedHit();
    const request = get({ range: 'bytes=0-1, 4-5' });
    expect(await rangeResponse(request, meta, hit, NOW, STATUS)).toBeNull();
    expect(hit.seeks).toEqual([]);
    const single = await rangeResponse(get({ range: 'bytes=0-1' }), meta, hit, NOW, STATUS);
    expect(single?.status).toBe(206);
  });

  it('answers multipart/byteranges with each part typed and ranged, in request order', async () => {
    const { meta, hit } = await storedHit();
    const response = (await respond({ range: 'bytes=50-54, 0-3, -2' }, { meta, hit }))!;
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBeNull();
    expect(response.headers.get('etag')).toBe('"v1"');
    const body = await bodyBytes(response);
    expect(response.headers.get('content-length')).toBe(String(body.byteLength));
    const parts = parseMultipart(body, boundaryOf(response));
    expect(parts.map((p) => p.headers)).toEqual([
      { 'content-type': 'video/mp4', 'content-range': 'bytes 50-54/100' },
      { 'content-type': 'video/mp4', 'content-range': 'bytes 0-3/100' },
      { 'content-type': 'video/mp4', 'content-range': 'bytes 98-99/100' },
    ]);
    expect(parts.map((p) => p.data)).toEqual([
      BODY.slice(50, 55),
      BODY.slice(0, 4),
      BODY.slice(98, 100),
    ]);
    expect(hit.seeks).toEqual([
      [50, 55],
      [0, 4],
      [98, 100],
    ]);
    expect(hit.bytesRead).toBe(11);
    expect(hit.finished).toBe(1);
  });

  it('coalesces overlapping ranges and leaves out a part Content-Type the response lacks', async () => {
    const { meta, hit } = await storedHit({ headers: [['etag', '"v1"']] });
    const response = (await respond({ range: 'bytes=10-20,15-25,60-61' }, { meta, hit }))!;
    const parts = parseMultipart(await bodyBytes(response), boundaryOf(response));
    expect(parts.map((p) => p.headers)).toEqual([
      { 'content-range': 'bytes 10-25/100' },
      { 'content-range': 'bytes 60-61/100' },
    ]);
    expect(parts[0]?.data).toEqual(BODY.slice(10, 26));
  });

  it('uses a new boundary for every response', async () => {
    const first = await storedHit();
    const second = await storedHit();
    const a = (await respond({ range: 'bytes=0-0,9-9' }, first))!;
    const b = (await respond({ range: 'bytes=0-0,9-9' }, second))!;
    expect(boundaryOf(a)).not.toBe(boundaryOf(b));
    await Promise.all([a.body?.cancel(), b.body?.cancel()]);
  });

  it('re-seeks an IndexedDB hit for each part', async () => {
    const storage = newIdb({ chunkSize: 8 });
    const { meta, hit } = await storedHit({ storage });
    const response = (await respond({ range: 'bytes=3-5,70-72' }, { meta, hit }))!;
    const parts = parseMultipart(await bodyBytes(response), boundaryOf(response));
    expect(parts.map((p) => p.data)).toEqual([BODY.slice(3, 6), BODY.slice(70, 73)]);
    expect(hit.bytesRead).toBe(6);
  });

  it.each([
    { failure: 'a rejected read', readBody: () => Promise.reject(new Error('disk gone')) },
    { failure: 'a part cut short', readBody: () => Promise.resolve(null) },
  ])('errors the stream, never a misframed body, on $failure', async ({ readBody }) => {
    const { meta, hit } = await storedHit();
    const failing = Object.assign(Object.create(hit) as SpyHit, {
      readBody,
      finish: () => hit.finish(),
    });
    const response = (await respond({ range: 'bytes=0-1,5-6' }, { meta, hit: failing }))!;
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(hit.finished).toBe(1);
  });
});

describe('rangeResponse: If-Range', () => {
  it.each([
    { ifRange: '"v1"', served: true },
    { ifRange: 'Tue, 15 Nov 1994 08:12:31 GMT', served: true },
    { ifRange: '"v0"', served: false },
    { ifRange: 'W/"v1"', served: false },
    { ifRange: 'Tue, 15 Nov 1994 08:12:32 GMT', served: false },
    { ifRange: 'garbage', served: false },
  ])('If-Range $ifRange → range served: $served', async ({ ifRange, served }) => {
    const { meta, hit } = await storedHit();
    const response = await respond({ range: 'bytes=0-9', 'if-range': ifRange }, { meta, hit });
    if (served) {
      expect(response?.status).toBe(206);
      expect(await bodyBytes(response!)).toEqual(BODY.slice(0, 10));
    } else {
      expect(response).toBeNull();
      expect(hit.seeks).toEqual([]);
      expect(hit.finished).toBe(0);
    }
  });
});

describe('rangeResponse: the normal response instead (null, hit untouched)', () => {
  it.each<{ why: string; request: Request; stored?: Parameters<typeof storedHit>[0] }>([
    { why: 'no Range', request: get({}) },
    { why: 'HEAD (§14.2: Range is for GET only)', request: get({ range: 'bytes=0-9' }, 'HEAD') },
    { why: 'another unit', request: get({ range: 'items=0-9' }) },
    { why: 'an invalid Range', request: get({ range: 'bytes=9-0' }) },
    { why: 'an excessive Range', request: get({ range: 'bytes=0-,0-,0-' }) },
    { why: 'a stored 404', request: get({ range: 'bytes=0-9' }), stored: { status: 404 } },
    {
      why: 'a content-coded body',
      request: get({ range: 'bytes=0-9' }),
      stored: { headers: [...HEADERS, ['content-encoding', 'gzip']] },
    },
    {
      why: 'a hit that cannot seek',
      request: get({ range: 'bytes=0-9' }),
      stored: { seekable: false },
    },
  ])('$why', async ({ request, stored }) => {
    const { meta, hit } = await storedHit(stored);
    expect(await rangeResponse(request, meta, hit, NOW, STATUS)).toBeNull();
    expect(hit.seeks).toEqual([]);
    expect(hit.reads).toEqual([]);
    expect(hit.finished).toBe(0);
  });

  it('a body still being written (size unknown) is followed whole', async () => {
    const storage = new MemoryStorage();
    const miss = await storage.getMissHandler(keyOf('/video'), metaOf(200, HEADERS));
    await miss.write(BODY.subarray(0, 10));
    const found = (await storage.lookup(keyOf('/video')))!;
    expect(found.hit.size).toBeUndefined();
    const response = await respond({ range: 'bytes=0-4' }, found);
    expect(response).toBeNull();
    await miss.abort();
  });
});

describe('rangeResponse: a body kept as Blobs', () => {
  it('answers one range with a slice of the stored Blobs, reading no byte through the worker', async () => {
    const idb = newIdb({ chunkSize: 16 });
    const { meta, hit } = await storedHit({ storage: idb });
    const response = (await respond({ range: 'bytes=30-69' }, { meta, hit }))!;
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 30-69/${SIZE}`);
    expect(await bodyBytes(response)).toEqual(BODY.slice(30, 70));
    expect(hit.blobs).toBe(1);
    expect(hit.reads).toEqual([]);
    expect(hit.finished).toBe(1);
  });
});
