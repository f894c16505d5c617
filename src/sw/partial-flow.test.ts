import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import type { CacheLock } from '../core/lock.ts';
import { ManualClock, RecordingCacheLock } from '../core/testing/fakes.ts';
import { LruEvictionManager } from '../eviction/lru.ts';
import { LockTable } from '../lock/lock-table.ts';
import { CompositionStorage } from '../storage/composition/composition.ts';
import type { FetchFlow } from './fetch-flow.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { expectKeptAliveForPurge, holdPurges, type HeldPurges } from './testing/held-purges.ts';
import { partialContentFlow } from './testing/partial-content-flow.ts';

const ORIGIN = 'https://app.test';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const SIZE = 100;
/** The representation: byte i is i + version (mod 256). */
const body = (version = 0) => Uint8Array.from({ length: SIZE }, (_, i) => (i + version) % 256);

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
/** The representation the origin serves now, and its tag. */
let version: number;
let extra: Record<string, string>;

/**
 * A media origin: ranges (one range only), `If-Range`, `If-None-Match`, a strong ETag per
 * version, fresh for a minute.
 */
function media(request: Request): Response {
  const etag = `"v${version}"`;
  const headers: Record<string, string> = {
    date: formatHttpDate(clock.now),
    etag,
    'cache-control': 'max-age=60',
    'content-type': 'video/webm',
    'accept-ranges': 'bytes',
  };
  if (request.headers.get('if-none-match') === etag) {
    return new Response(null, { status: 304, headers: { ...headers, ...extra } });
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get('range') ?? '');
  const ifRange = request.headers.get('if-range');
  const whole = body(version);
  if (range === null || (ifRange !== null && ifRange !== etag)) {
    return new Response(whole, {
      headers: { ...headers, 'content-length': String(SIZE), ...extra },
    });
  }
  const start = Number(range[1]);
  const end = range[2] === '' ? SIZE - 1 : Math.min(Number(range[2]), SIZE - 1);
  return new Response(whole.slice(start, end + 1), {
    status: 206,
    headers: {
      ...headers,
      'content-range': `bytes ${start}-${end}/${SIZE}`,
      'content-length': String(end - start + 1),
      ...extra,
    },
  });
}

/** The flow as a worker with `partialContent()` (or, `partial: false`, without it) builds it. */
const flow = (lock?: CacheLock, { partial = true } = {}): FetchFlow =>
  partialContentFlow({ base: ORIGIN, fetch: origin.fetch, now: clock.read, lock, partial });

async function get(f: FetchFlow, range?: string, headers: Record<string, string> = {}) {
  const init = { headers: range === undefined ? headers : { range, ...headers } };
  const response = await f.handle(new Request(`${ORIGIN}/video.webm`, init), background.waitUntil);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await background.settle();
  return { response, bytes, status: cacheStatusOf(response) };
}

/** The `Range` and `If-Range` of every request that reached the origin. */
function originRanges(): (string | null)[][] {
  return origin.requests.map((r) => [r.headers.get('range'), r.headers.get('if-range')]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  origin = new FakeOrigin().route('/video.webm', media);
  clock = new ManualClock(T0);
  background = new Background();
  version = 0;
  extra = {};
});

describe('a worker without the partialContent() feature', () => {
  it('passes a 206 through without storing it, and serves ranges of a complete entry', async () => {
    const f = flow(undefined, { partial: false });
    const first = await get(f, 'bytes=10-29');
    expect(first.response.status).toBe(206);
    expect(first.bytes).toEqual(body().slice(10, 30));
    expect(first.status).toMatchObject({ fwd: 'uri-miss', 'fwd-status': '206' });
    expect(first.status).not.toHaveProperty('stored');
    expect((await get(f, 'bytes=10-29')).status).toMatchObject({ fwd: 'uri-miss' });
    expect(originRanges()).toEqual([
      ['bytes=10-29', null],
      ['bytes=10-29', null],
    ]);

    expect((await get(f)).status).toMatchObject({ stored: true });
    const range = await get(f, 'bytes=12-19');
    expect(range.response.status).toBe(206);
    expect(range.bytes).toEqual(body().slice(12, 20));
    expect(range.status).toMatchObject({ hit: true });
    expect(origin.count('/video.webm')).toBe(3);
  });
});

describe('partial content through the fetch flow', () => {
  it('stores a 206 as a piece and answers the same range from it', async () => {
    const f = flow();
    const first = await get(f, 'bytes=10-29');
    expect(first.response.status).toBe(206);
    expect(first.bytes).toEqual(body().slice(10, 30));
    expect(first.status).toMatchObject({ fwd: 'uri-miss', stored: true, detail: 'partial' });

    const again = await get(f, 'bytes=12-19');
    expect(again.response.status).toBe(206);
    expect(again.response.headers.get('content-range')).toBe(`bytes 12-19/${SIZE}`);
    expect(again.bytes).toEqual(body().slice(12, 20));
    expect(again.status).toMatchObject({ hit: true, detail: 'partial-composition.idb' });
    expect(origin.count('/video.webm')).toBe(1);
  });

  it('looks the sparse entry of a range up beside the complete one, once', async () => {
    const f = flow();
    await get(f, 'bytes=10-29');
    const lookup = vi.spyOn(CompositionStorage.prototype, 'lookup');
    const lookupSparse = vi.spyOn(CompositionStorage.prototype, 'lookupSparse');
    const again = await get(f, 'bytes=12-19');
    expect(again.bytes).toEqual(body().slice(12, 20));
    expect(again.status).toMatchObject({ hit: true, detail: 'partial-composition.idb' });
    // Started before the complete lookup, with the first byte asked for; not looked up again.
    expect(lookupSparse).toHaveBeenCalledOnce();
    expect(lookupSparse.mock.invocationCallOrder[0]).toBeLessThan(
      lookup.mock.invocationCallOrder[0]!,
    );
    expect(lookupSparse.mock.calls[0]?.[1]?.(SIZE)).toBe(12);
  });

  it('serves a fresh range the pieces hold without taking the lock; anything else takes it', async () => {
    const lock = new RecordingCacheLock();
    const f = flow(lock);
    await get(f, 'bytes=0-39');
    expect(lock.requests).toHaveLength(1);

    // Held and fresh: no lock, as a fresh complete hit.
    expect((await get(f, 'bytes=12-19')).status).toMatchObject({ hit: true });
    expect((await get(f, 'bytes=0-9')).status).toMatchObject({ hit: true });
    expect(lock.requests).toHaveLength(1);

    // Held in part: the missing bytes are fetched under the lock.
    expect((await get(f, 'bytes=30-49')).status).toMatchObject({ fwd: 'partial' });
    expect(lock.requests).toHaveLength(2);

    // An If-Range the entry does not match: a plain miss, under the lock.
    expect((await get(f, 'bytes=0-9', { 'if-range': '"other"' })).status).toMatchObject({
      fwd: 'uri-miss',
    });
    expect(lock.requests).toHaveLength(3);

    // Held but stale: revalidated under the lock.
    clock.advance(120_000);
    expect((await get(f, 'bytes=0-9')).status).toMatchObject({ fwd: 'stale' });
    expect(lock.requests).toHaveLength(4);
    expect(lock.isHeld(lock.requests[0]!)).toBe(false);
  });

  it('a reload (no-cache mode) of a held range takes the lock', async () => {
    const lock = new RecordingCacheLock();
    const f = flow(lock);
    await get(f, 'bytes=0-39');
    const reload = await f.handle(
      new Request(`${ORIGIN}/video.webm`, { headers: { range: 'bytes=0-9' }, cache: 'no-cache' }),
      background.waitUntil,
    );
    await reload.arrayBuffer();
    await background.settle();
    expect(lock.requests).toHaveLength(2);
  });

  it('fetches only the missing bytes with If-Range, and stitches the answer', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    const stitched = await get(f, 'bytes=30-59');
    expect(stitched.response.status).toBe(206);
    expect(stitched.bytes).toEqual(body().slice(30, 60));
    expect(stitched.status).toMatchObject({ fwd: 'partial', 'fwd-status': '206', stored: true });
    expect(originRanges()).toEqual([
      ['bytes=0-39', null],
      ['bytes=40-59', '"v0"'],
    ]);
    // Now held: served from the pieces.
    expect((await get(f, 'bytes=0-59')).status).toMatchObject({ hit: true });
    expect(origin.count('/video.webm')).toBe(2);
  });

  it('completes the entry for a request without Range: a 200, only the missing bytes fetched', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    const whole = await get(f);
    expect(whole.response.status).toBe(200);
    expect(whole.bytes).toEqual(body());
    expect(originRanges()).toEqual([
      ['bytes=0-39', null],
      ['bytes=40-99', '"v0"'],
    ]);
    expect((await get(f)).status).toMatchObject({ hit: true });
  });

  it('answers several held ranges as multipart/byteranges from the pieces', async () => {
    const f = flow();
    await get(f, 'bytes=0-49');
    const multi = await get(f, 'bytes=0-4,20-24');
    expect(multi.response.status).toBe(206);
    expect(multi.response.headers.get('content-type')).toMatch(/^multipart\/byteranges/);
    const text = new TextDecoder('latin1').decode(multi.bytes);
    expect(text).toContain('Content-Range: bytes 20-24/100');
    expect(origin.count('/video.webm')).toBe(1);
  });

  it('becomes a complete entry once every byte is held: a request without Range is a hit', async () => {
    const f = flow();
    await get(f, 'bytes=0-59');
    await get(f, 'bytes=50-');
    const whole = await get(f);
    expect(whole.response.status).toBe(200);
    expect(whole.bytes).toEqual(body());
    expect(whole.status).toMatchObject({ hit: true });
    expect(originRanges()).toEqual([
      ['bytes=0-59', null],
      ['bytes=60-99', '"v0"'],
    ]);
  });

  it('takes the 200 that answers If-Range when the representation changed: it replaces the entry', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    version = 1;
    const changed = await get(f, 'bytes=30-59');
    expect(changed.response.status).toBe(200);
    expect(changed.bytes).toEqual(body(1));
    const after = await get(f, 'bytes=0-9');
    expect(after.bytes).toEqual(body(1).slice(0, 10));
    expect(after.status).toMatchObject({ hit: true });
  });

  it('revalidates a stale partial entry: a 304 keeps its pieces', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    clock.advance(120_000);
    const revalidated = await get(f, 'bytes=5-9');
    expect(revalidated.bytes).toEqual(body().slice(5, 10));
    expect(revalidated.status).toMatchObject({ fwd: 'stale', 'fwd-status': '304' });
    expect(origin.last('/video.webm')?.headers.get('if-none-match')).toBe('"v0"');
    expect((await get(f, 'bytes=5-9')).status).toMatchObject({ hit: true });
    expect(origin.count('/video.webm')).toBe(2);
  });

  it('with the origin unreachable, answers the held start of a range; a range not held fails', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    origin.route('/video.webm', () => {
      throw new TypeError('connection refused');
    });
    const offline = await get(f, 'bytes=0-');
    expect(offline.response.status).toBe(206);
    expect(offline.response.headers.get('content-range')).toBe(`bytes 0-39/${SIZE}`);
    expect(offline.bytes).toEqual(body().slice(0, 40));
    expect(offline.status).toMatchObject({ fwd: 'partial', detail: 'origin-unreachable' });
    expect((await get(f, 'bytes=60-')).response.type).toBe('error');
  });

  it('revalidates held pieces on a reload (no-cache mode)', async () => {
    const f = flow();
    await get(f, 'bytes=0-39');
    const reload = await f.handle(
      new Request(`${ORIGIN}/video.webm`, { headers: { range: 'bytes=0-9' }, cache: 'no-cache' }),
      background.waitUntil,
    );
    expect(new Uint8Array(await reload.arrayBuffer())).toEqual(body().slice(0, 10));
    await background.settle();
    expect(cacheStatusOf(reload)).toMatchObject({ fwd: 'stale', 'fwd-status': '304' });
    expect(origin.count('/video.webm')).toBe(2);
  });

  it('downloads a missing range once for two requests at the same time', async () => {
    const f = flow(new LockTable({ timeoutMs: 60_000 }));
    const [a, b] = await Promise.all([get(f, 'bytes=0-49'), get(f, 'bytes=0-49')]);
    expect(a.bytes).toEqual(body().slice(0, 50));
    expect(b.bytes).toEqual(body().slice(0, 50));
    expect(origin.count('/video.webm')).toBe(1);
  });

  it('a reader following a download that stops short fetches the rest itself', async () => {
    const f = flow();
    // The first answer sends 40 bytes, then nothing more (its page goes away meanwhile).
    origin.route('/video.webm', (request, n) => {
      if (n > 1) return media(request);
      const stalled = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(body().slice(0, 40)),
      });
      return new Response(stalled, {
        status: 206,
        headers: {
          date: formatHttpDate(clock.now),
          etag: '"v0"',
          'cache-control': 'max-age=60',
          'content-range': `bytes 0-${SIZE - 1}/${SIZE}`,
        },
      });
    });
    const first = await f.handle(
      new Request(`${ORIGIN}/video.webm`, { headers: { range: 'bytes=0-' } }),
      background.waitUntil,
    );
    const reader = first.body!.getReader();
    await reader.read();
    // Bytes 50-59 are on their way in the first download: the second request follows it.
    const second = get(f, 'bytes=50-59');
    await reader.cancel();
    const { bytes } = await second;
    expect(bytes).toEqual(body().slice(50, 60));
    expect(originRanges().at(-1)).toEqual(['bytes=50-59', '"v0"']);
    // The stalled download is given up after WINDOW_DRAIN's 2 s without a byte: room for a busy CI.
  }, 15_000);

  it.each<[string, Record<string, string>]>([
    ['a weak validator', { etag: 'W/"v0"' }],
    ['a content coding', { 'content-encoding': 'gzip' }],
    ['a Content-Range that disagrees with Content-Length', { 'content-length': '7' }],
  ])('does not store a 206 with %s', async (_why, headers) => {
    extra = headers;
    const f = flow();
    const first = await get(f, 'bytes=0-9');
    expect(first.status).not.toHaveProperty('stored');
    await get(f, 'bytes=0-9');
    expect(origin.count('/video.webm')).toBe(2);
  });
});

describe('eviction after a piece', () => {
  const OTHER = `${ORIGIN}/other.webm`;

  /** The flow with a budget of `maxBytes` and its purges held, `/other.webm` (100 bytes) stored. */
  async function evictingFlow(maxBytes: number) {
    origin.route('/other.webm', media);
    let held!: HeldPurges;
    const f = partialContentFlow({
      base: ORIGIN,
      fetch: origin.fetch,
      now: clock.read,
      eviction: new LruEvictionManager({ maxBytes, maxEntries: 100 }),
      wrap: (storage) => {
        held = holdPurges(storage);
        return storage;
      },
    });
    await f.handle(new Request(OTHER), background.waitUntil).then((r) => r.arrayBuffer());
    await background.settle();
    return { f, held };
  }

  /**
   * `request`'s body ends while the purge of `/other.webm` its piece evicted is held; the worker
   * is kept alive until that purge is released, and `/other.webm` is gone then.
   */
  async function endsBeforeThePurge(f: FetchFlow, held: HeldPurges, request: Request) {
    const response = await f.handle(request, background.waitUntil);
    const bytes = new Uint8Array(await response.arrayBuffer());
    await held.asked;
    expect(held.purged).toEqual([`eviction ${OTHER}`]);
    await expectKeptAliveForPurge(held, () => background.settle());
    expect(origin.count('/other.webm')).toBe(1);
    await f.handle(new Request(OTHER), background.waitUntil).then((r) => r.arrayBuffer());
    await background.settle();
    expect(origin.count('/other.webm')).toBe(2); // gone: back to the origin
    return { response, bytes };
  }

  it("a 206 stored as it streams: the page's body ends before what its piece evicts is purged", async () => {
    const { f, held } = await evictingFlow(110);
    const range = new Request(`${ORIGIN}/video.webm`, { headers: { range: 'bytes=10-29' } });
    const { response, bytes } = await endsBeforeThePurge(f, held, range);
    expect(bytes).toEqual(body().slice(10, 30));
    expect(cacheStatusOf(response)).toMatchObject({ stored: true, detail: 'partial' });
  });

  it('missing bytes read from storage as they land: the eviction the completed entry causes is kept alive', async () => {
    const { f, held } = await evictingFlow(150);
    await get(f, 'bytes=0-39');
    // Bytes 40-99 complete the entry (100 bytes): with /other.webm's 100, over the budget.
    const whole = new Request(`${ORIGIN}/video.webm`);
    const { response, bytes } = await endsBeforeThePurge(f, held, whole);
    expect(bytes).toEqual(body());
    expect(cacheStatusOf(response)).toMatchObject({ fwd: 'partial', stored: true });
    expect(originRanges().at(-2)).toEqual(['bytes=40-99', '"v0"']);
  });
});
