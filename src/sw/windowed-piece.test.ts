import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { LruEvictionManager } from '../eviction/lru.ts';
import { AnnouncingStorage } from '../storage/wrappers/announcing.ts';
import type { CacheEvent } from '../protocol/events.ts';
import type { FetchFlow } from './fetch-flow.ts';
import {
  Background,
  cacheStatusOf,
  FakeOrigin,
  FetchEventLifetime,
} from './testing/fake-origin.ts';
import { expectKeptAliveForPurge, holdPurges, type HeldPurges } from './testing/held-purges.ts';
import {
  partialContentFlow,
  type PartialContentFlowParts,
} from './testing/partial-content-flow.ts';
import { pulledStream } from './testing/pulled-stream.ts';
import { UPSTREAM_WINDOW_BYTES as W } from './windowed-body.ts';

const ORIGIN = 'https://app.test';
/** Two and a half windows. */
const SIZE = 2 * W + W / 2;
const whole = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7) % 251);

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
let etag: string;
/** Body bytes the origin handed out (pulled by the worker), as a socket would count them. */
let sent: number;

/** A media origin: one range, `If-Range`, a strong ETag; bodies pulled 64 KiB at a time. */
function media(request: Request): Response {
  const headers: Record<string, string> = {
    date: formatHttpDate(clock.now),
    etag,
    'cache-control': 'max-age=60',
    'accept-ranges': 'bytes',
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get('range') ?? '');
  const ifRange = request.headers.get('if-range');
  if (range === null || (ifRange !== null && ifRange !== etag)) {
    return new Response(counted(0, SIZE), {
      headers: { ...headers, 'content-length': String(SIZE) },
    });
  }
  const start = Number(range[1]);
  const end = range[2] === '' ? SIZE - 1 : Math.min(Number(range[2]), SIZE - 1);
  return new Response(counted(start, end + 1), {
    status: 206,
    headers: {
      ...headers,
      'content-range': `bytes ${start}-${end}/${SIZE}`,
      'content-length': String(end - start + 1),
    },
  });
}

function counted(start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  return pulledStream(() => {
    if (at >= end) return undefined;
    const chunk = whole.slice(at, Math.min(end, at + 65_536));
    at += chunk.byteLength;
    sent += chunk.byteLength;
    return chunk;
  });
}

/**
 * A flow over memory and IndexedDB; with `events`, its storage announces into them; `parts` add
 * to it (or replace its parts).
 */
function flow(events?: CacheEvent[], parts: Partial<PartialContentFlowParts> = {}): FetchFlow {
  return partialContentFlow({
    base: ORIGIN,
    fetch: origin.fetch,
    now: clock.read,
    idb: { chunkSize: 256 * 1024 },
    wrap:
      events &&
      ((storage) =>
        new AnnouncingStorage(
          storage,
          { postMessage: (event: CacheEvent) => events.push(event) },
          { source: 'worker' },
        )),
    ...parts,
  });
}

const request = (range: string) => new Request(`${ORIGIN}/video.webm`, { headers: { range } });

async function get(f: FetchFlow, range: string) {
  const response = await f.handle(request(range), background.waitUntil);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await background.settle();
  return { response, bytes, status: cacheStatusOf(response) };
}

/** The page reads the first chunk of `range`, then drops the read (a `<video>` that seeks). */
async function readAndDrop(f: FetchFlow, range: string): Promise<void> {
  const response = await f.handle(request(range), background.waitUntil);
  const reader = response.body!.getReader();
  await reader.read();
  await reader.cancel();
  await background.settle();
}

/** Whether `bytes` are the whole representation (`toEqual` on megabytes takes seconds). */
const isWhole = (bytes: Uint8Array) => Buffer.from(bytes).equals(whole);

function originRanges(): (string | null)[][] {
  return origin.requests.map((r) => [r.headers.get('range'), r.headers.get('if-range')]);
}

beforeEach(() => {
  origin = new FakeOrigin().route('/video.webm', media);
  clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  background = new Background();
  etag = '"v0"';
  sent = 0;
});

describe('a long range asked of the origin in windows', () => {
  it("answers the page's open range with the whole 206, asking each window ahead", async () => {
    const f = flow();
    const first = await get(f, 'bytes=0-');
    expect(first.response.status).toBe(206);
    expect(first.response.headers.get('content-range')).toBe(`bytes 0-${SIZE - 1}/${SIZE}`);
    expect(first.response.headers.get('content-length')).toBe(String(SIZE));
    expect(isWhole(first.bytes)).toBe(true);
    expect(originRanges()).toEqual([
      [`bytes=0-${W - 1}`, null],
      [`bytes=${W}-${2 * W - 1}`, '"v0"'],
      [`bytes=${2 * W}-${SIZE - 1}`, '"v0"'],
    ]);
    expect((await get(f, 'bytes=0-')).status).toMatchObject({ hit: true });
    expect(sent).toBe(SIZE);
  });

  it('a dropped read stores its window to the end and asks no more: no byte is sent twice', async () => {
    const f = flow();
    await readAndDrop(f, 'bytes=0-');
    expect(originRanges()).toEqual([[`bytes=0-${W - 1}`, null]]);
    expect(sent).toBe(W);
    // Every byte sent is held: the first window is a hit, and the rest asks only for the rest.
    expect((await get(f, `bytes=0-${W - 1}`)).status).toMatchObject({ hit: true });
    await readAndDrop(f, `bytes=${W / 2}-`);
    expect(originRanges().slice(1)).toEqual([[`bytes=${W}-${2 * W - 1}`, '"v0"']]);
    const rest = await get(f, 'bytes=0-');
    expect(isWhole(rest.bytes)).toBe(true);
    expect(sent).toBe(SIZE);
  });

  it('asks the next window once half of one is read; a read dropped then stores both whole', async () => {
    const f = flow();
    const response = await f.handle(request('bytes=0-'), background.waitUntil);
    const reader = response.body!.getReader();
    let read = 0;
    while (read <= W / 2) read += (await reader.read()).value!.byteLength;
    // Asked ahead while the first window is still being read.
    expect(read).toBeLessThan(W);
    expect(originRanges()).toEqual([
      [`bytes=0-${W - 1}`, null],
      [`bytes=${W}-${2 * W - 1}`, '"v0"'],
    ]);
    await reader.cancel();
    await background.settle();
    expect(originRanges()).toHaveLength(2);
    expect(sent).toBe(2 * W);
    expect((await get(f, `bytes=0-${2 * W - 1}`)).status).toMatchObject({ hit: true });
    const rest = await get(f, 'bytes=0-');
    expect(isWhole(rest.bytes)).toBe(true);
    expect(originRanges().slice(2)).toEqual([[`bytes=${2 * W}-${SIZE - 1}`, '"v0"']]);
    expect(sent).toBe(SIZE);
  });

  it('announces stored when the last piece completes the entry, not before', async () => {
    const events: CacheEvent[] = [];
    const f = flow(events);
    await readAndDrop(f, 'bytes=0-');
    expect(events).toEqual([]);
    const rest = await get(f, 'bytes=0-');
    expect(isWhole(rest.bytes)).toBe(true);
    expect(events.map((e) => [e.type, e.keys.map((k) => k.primary)])).toEqual([
      ['stored', [`${ORIGIN}/video.webm`]],
    ]);
    expect((await get(f, 'bytes=0-')).status).toMatchObject({ hit: true });
  });

  it("ends the page's body before what the stored windows evict is purged, and keeps the worker alive for it", async () => {
    origin.route(
      '/other',
      () => new Response('other', { headers: { 'cache-control': 'max-age=60' } }),
    );
    let held!: HeldPurges;
    const f = flow(undefined, {
      eviction: new LruEvictionManager({ maxBytes: SIZE, maxEntries: 100 }),
      wrap: (storage) => {
        held = holdPurges(storage);
        return storage;
      },
    });
    await f.handle(new Request(`${ORIGIN}/other`), background.waitUntil).then((r) => r.text());
    await background.settle();
    // The windows complete the entry (SIZE bytes): with /other's 5, over the budget.
    const response = await f.handle(request('bytes=0-'), background.waitUntil);
    expect(isWhole(new Uint8Array(await response.arrayBuffer()))).toBe(true);
    await held.asked;
    expect(held.purged).toEqual([`eviction ${ORIGIN}/other`]);
    await expectKeptAliveForPurge(held, () => background.settle());
    expect((await get(f, 'bytes=0-')).status).toMatchObject({ hit: true });
  });

  it('a reader whose download broke off fetches the rest under its own event, kept alive', async () => {
    const f = flow();
    // The first answer sends one chunk, then the connection breaks.
    origin.route('/video.webm', (r, n) => {
      if (n > 1) return media(r);
      const answer = media(r);
      const reader = answer.body!.getReader();
      let chunks = 0;
      const broken = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (chunks++ > 0) throw new Error('connection reset');
          const { value } = await reader.read();
          controller.enqueue(value!);
        },
      });
      return new Response(broken, { status: 206, headers: answer.headers });
    });
    const first = await f.handle(request('bytes=0-'), background.waitUntil);
    const firstReader = first.body!.getReader();
    await firstReader.read();
    // A range on its way in the first download: followed, its answer a stream (over 64 KiB).
    const from = W / 2;
    const to = from + 100_000;
    const event = new FetchEventLifetime();
    const second = await event.respondWith((waitUntil) =>
      f.handle(request(`bytes=${from}-${to - 1}`), waitUntil),
    );
    expect(cacheStatusOf(second)).toMatchObject({ collapsed: true });
    await expect(firstReader.read()).rejects.toThrow('connection reset');
    // The reader asks for the rest itself, after its answer left: its event still accepts that.
    const bytes = new Uint8Array(await second.arrayBuffer());
    expect(Buffer.from(bytes).equals(whole.subarray(from, to))).toBe(true);
    await event.settle();
    await background.settle();
    expect(originRanges().at(-1)).toEqual([`bytes=${from}-${to - 1}`, '"v0"']);
    expect((await get(f, `bytes=${from}-${to - 1}`)).status).toMatchObject({ hit: true });
  });

  it('a range one window holds is stored to its end after the page drops it, however slow', async () => {
    const f = flow();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    origin.route('/video.webm', (r) => {
      const answer = media(r);
      const reader = answer.body!.getReader();
      let first = true;
      // After its first chunk, the body waits for the gate: longer than DRAIN_AFTER_CANCEL_MS.
      const slow = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!first) await gate;
          first = false;
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
      return new Response(slow, { status: answer.status, headers: answer.headers });
    });
    const from = 2 * W; // half a window before the end
    const response = await f.handle(request(`bytes=${from}-`), background.waitUntil);
    expect(response.headers.get('content-range')).toBe(`bytes ${from}-${SIZE - 1}/${SIZE}`);
    const reader = response.body!.getReader();
    await reader.read();
    const dropped = reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 400));
    open();
    await dropped;
    await background.settle();
    expect(originRanges()).toEqual([[`bytes=${from}-${from + W - 1}`, null]]);
    expect((await get(f, `bytes=${from}-`)).status).toMatchObject({ hit: true });
  });

  it('fails the read when the next window is of another representation; the first stays', async () => {
    const f = flow();
    const response = await f.handle(request('bytes=0-'), background.waitUntil);
    etag = '"v1"'; // the origin changes while the first window is read
    await expect(response.arrayBuffer()).rejects.toThrow();
    await background.settle();
    expect(originRanges().at(-1)).toEqual([`bytes=${W}-${2 * W - 1}`, '"v0"']);
    etag = '"v0"';
    expect((await get(f, `bytes=0-${W - 1}`)).status).toMatchObject({ hit: true });
  });

  it("a 206 that may not be stored: the page's own request goes on", async () => {
    const f = flow();
    origin.route('/video.webm', (r) => {
      const response = media(r);
      response.headers.set('etag', 'W/"v0"');
      return response;
    });
    const first = await get(f, 'bytes=0-');
    expect(isWhole(first.bytes)).toBe(true);
    expect(originRanges()).toEqual([
      [`bytes=0-${W - 1}`, null],
      ['bytes=0-', null],
    ]);
  });

  it('a short range or a suffix range is asked as the page asked it', async () => {
    await get(flow(), 'bytes=10-19');
    await get(flow(), `bytes=-${W + 10}`);
    expect(originRanges()).toEqual([
      ['bytes=10-19', null],
      [`bytes=-${W + 10}`, null],
    ]);
  });
});
