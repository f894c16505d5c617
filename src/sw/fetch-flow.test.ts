import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate, varianceHash } from '../core/http/index.ts';
import { LockTable } from '../lock/lock-table.ts';
import { LruEvictionManager } from '../eviction/lru.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import type { Storage } from '../core/storage.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { LruCacheablePredictor } from '../core/predictor.ts';
import { resolveOptions, type HttpCacheOptions } from './config.ts';
import { FetchFlow } from './fetch-flow.ts';
import { SearchVarianceHints } from './search-variance.ts';
import type { FlowDeps } from './flow-deps.ts';
import { handleUnsafe } from './invalidation.ts';
import { testFlowDeps } from './testing/test-flow.ts';
import { outcomeOf, type RequestOutcome } from './stats.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { expectKeptAliveForPurge, holdPurges } from './testing/held-purges.ts';

const ORIGIN = 'https://app.test';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
let storage: MemoryStorage;
let cleared: number;
let outcomes: RequestOutcome[];

function deps(options: HttpCacheOptions = {}, store: Storage = storage): FlowDeps {
  const clearable = store instanceof MemoryStorage ? store : storage;
  return testFlowDeps({
    base: ORIGIN,
    options,
    storage: clearable,
    predictor: new LruCacheablePredictor(),
    fetch: origin.fetch,
    now: clock.read,
    clear: async () => {
      cleared++;
      await clearable.clear();
    },
    record: (answered) => outcomes.push(outcomeOf(answered, clock.read())),
  });
}

function flow(options: HttpCacheOptions = {}, store: Storage = storage): FetchFlow {
  // The flow reads and writes `store`; a store that is not a MemoryStorage clears `storage`.
  return new FetchFlow({ ...deps(options, store), storage: store });
}

function respond(body: string, headers: Record<string, string>, status = 200): Response {
  return new Response(body, { status, headers: { date: formatHttpDate(clock.now), ...headers } });
}

async function get(
  f: FetchFlow,
  path: string,
  init: RequestInit = {},
): Promise<{ response: Response; text: string }> {
  const response = await f.handle(new Request(ORIGIN + path, init), background.waitUntil);
  const text = response.type === 'error' ? '' : await response.text();
  await background.settle();
  return { response, text };
}

beforeEach(() => {
  origin = new FakeOrigin();
  clock = new ManualClock(T0);
  background = new Background();
  storage = new MemoryStorage();
  cleared = 0;
  outcomes = [];
});

describe('miss, store, hit (RFC 9111 §3, §4)', () => {
  it('stores a fresh response and answers the next request from cache with Age', async () => {
    origin.route('/a', (_r, n) => respond(`body ${n}`, { 'cache-control': 'max-age=60' }));
    const f = flow();
    const first = await get(f, '/a');
    expect(first.text).toBe('body 1');
    expect(cacheStatusOf(first.response)).toMatchObject({
      fwd: 'uri-miss',
      'fwd-status': '200',
      stored: true,
    });
    clock.advance(10_000);
    const second = await get(f, '/a');
    expect(second.text).toBe('body 1');
    expect(cacheStatusOf(second.response)).toMatchObject({ hit: true, ttl: '50' });
    expect(second.response.headers.get('age')).toBe('10');
    expect(origin.count('/a')).toBe(1);
    expect(
      outcomes.map((o) => [o.phase, o.status, o.cacheStatus?.startsWith('sw-http-cache;')]),
    ).toEqual([
      ['miss', 200, true],
      ['hit', 200, true],
    ]);
  });

  it('never stores a no-store response', async () => {
    origin.route('/n', (_r, n) => respond(`n${n}`, { 'cache-control': 'no-store, max-age=60' }));
    const f = flow();
    expect((await get(f, '/n')).text).toBe('n1');
    const second = await get(f, '/n');
    expect(second.text).toBe('n2');
    expect(cacheStatusOf(second.response).hit).toBeUndefined();
    expect(origin.count('/n')).toBe(2);
  });

  it('fetches a stale entry again, conditionally, and keeps the body on 304 (§4.3)', async () => {
    origin.route('/e', (request, n) =>
      request.headers.get('if-none-match') === '"v1"'
        ? new Response(null, {
            status: 304,
            headers: { etag: '"v1"', 'cache-control': 'max-age=30' },
          })
        : respond(`e${n}`, { 'cache-control': 'max-age=1', etag: '"v1"' }),
    );
    const f = flow();
    await get(f, '/e');
    clock.advance(5_000);
    const revalidated = await get(f, '/e');
    expect(revalidated.text).toBe('e1');
    expect(revalidated.response.status).toBe(200);
    expect(cacheStatusOf(revalidated.response)).toMatchObject({
      fwd: 'stale',
      'fwd-status': '304',
    });
    expect(origin.last('/e')?.headers.get('if-none-match')).toBe('"v1"');
    // The 304's max-age=30 now applies: a hit without the origin.
    clock.advance(10_000);
    expect(cacheStatusOf((await get(f, '/e')).response).hit).toBe(true);
    expect(origin.count('/e')).toBe(2);
  });

  it('replaces a stale entry when the origin answers 200', async () => {
    origin.route('/r', (_r, n) =>
      respond(`r${n}`, { 'cache-control': 'max-age=1', etag: `"${n}"` }),
    );
    const f = flow();
    await get(f, '/r');
    clock.advance(2_000);
    expect((await get(f, '/r')).text).toBe('r2');
    expect((await get(f, '/r')).text).toBe('r2');
    expect(origin.count('/r')).toBe(2);
  });
});

describe('eviction on admission', () => {
  it('ends the body once stored, and keeps the worker alive until what it evicted is purged', async () => {
    origin.route('/old', (_r, n) => respond(`old ${n}`, { 'cache-control': 'max-age=60' }));
    origin.route('/new', () => respond('new', { 'cache-control': 'max-age=60' }));
    const slow = new MemoryStorage();
    const { purged, release: releasePurges } = holdPurges(slow);
    const eviction = new LruEvictionManager({ maxBytes: 1_000_000, maxEntries: 1 });
    const f = new FetchFlow({ ...deps(), storage: slow, eviction });
    expect((await get(f, '/old')).text).toBe('old 1');

    // Admitting /new evicts /old: the page's body ends while that purge is still held.
    const response = await f.handle(new Request(`${ORIGIN}/new`), background.waitUntil);
    expect(await response.text()).toBe('new');
    expect(cacheStatusOf(response)).toMatchObject({ stored: true });
    expect(purged).toEqual([`eviction ${ORIGIN}/old`]);
    await expectKeptAliveForPurge({ release: releasePurges }, () => background.settle());
    expect((await get(f, '/old')).text).toBe('old 2'); // gone: back to the origin
  });
});

describe('stale-if-error and stale-while-revalidate (RFC 5861)', () => {
  it('serves stale when the origin is unreachable inside the window; outside it disconnected operation decides', async () => {
    let up = true;
    origin.route('/s', () => {
      if (!up) throw new TypeError('Failed to fetch');
      return respond('s', { 'cache-control': 'max-age=1, stale-if-error=60' });
    });
    const f = flow();
    const off = flow({ offlineMaxStale: 0 });
    await get(f, '/s');
    up = false;
    clock.advance(30_000);
    const stale = await get(f, '/s');
    expect(stale.text).toBe('s');
    expect(cacheStatusOf(stale.response)).toMatchObject({ fwd: 'stale', detail: 'stale-if-error' });
    clock.advance(60_000);
    const offline = await get(f, '/s');
    expect(offline.text).toBe('s');
    expect(cacheStatusOf(offline.response)).toMatchObject({
      fwd: 'stale',
      detail: 'origin-unreachable',
    });
    expect((await get(off, '/s')).response.type).toBe('error');
  });
  it('serves stale on a 5xx inside the window, and the 5xx outside it', async () => {
    let status = 200;
    origin.route('/5', () =>
      respond(
        status === 200 ? 'ok' : 'down',
        { 'cache-control': 'max-age=1, stale-if-error=10' },
        status,
      ),
    );
    const f = flow();
    await get(f, '/5');
    status = 503;
    clock.advance(5_000);
    const stale = await get(f, '/5');
    expect([stale.response.status, stale.text]).toEqual([200, 'ok']);
    expect(cacheStatusOf(stale.response)['fwd-status']).toBe('503');
    clock.advance(20_000);
    const error = await get(f, '/5');
    expect([error.response.status, error.text]).toEqual([503, 'down']);
  });

  it('serves stale at once and revalidates in the background', async () => {
    origin.route('/w', (_r, n) =>
      respond(`w${n}`, { 'cache-control': 'max-age=1, stale-while-revalidate=60' }),
    );
    const f = flow();
    await get(f, '/w');
    clock.advance(5_000);
    const stale = await get(f, '/w');
    expect(stale.text).toBe('w1');
    expect(cacheStatusOf(stale.response).hit).toBe(true);
    expect(origin.count('/w')).toBe(2);
    expect((await get(f, '/w')).text).toBe('w2');
    expect(origin.count('/w')).toBe(2);
  });
});

describe('Vary (RFC 9111 §4.1)', () => {
  it('keeps one variant per request header value and never mixes them', async () => {
    origin.route('/v', (request) =>
      respond(`lang=${request.headers.get('accept-language')}`, {
        'cache-control': 'max-age=60',
        vary: 'Accept-Language',
      }),
    );
    const f = flow();
    const en = { headers: { 'accept-language': 'en' } };
    const fr = { headers: { 'accept-language': 'fr' } };
    expect((await get(f, '/v', en)).text).toBe('lang=en');
    const frMiss = await get(f, '/v', fr);
    expect(frMiss.text).toBe('lang=fr');
    expect(cacheStatusOf(frMiss.response).fwd).toBe('vary-miss');
    expect((await get(f, '/v', en)).text).toBe('lang=en');
    expect((await get(f, '/v', fr)).text).toBe('lang=fr');
    expect(origin.count('/v')).toBe(2);
  });

  it('selects the stored response in the language the request prefers most', async () => {
    origin.route('/lang', (request, n) => {
      const wanted = request.headers.get('accept-language') ?? '';
      return respond(`${n}`, {
        'cache-control': 'max-age=60',
        vary: 'Accept-Language',
        'content-language': wanted.startsWith('fr') ? 'fr' : 'en',
      });
    });
    const f = flow();
    const ask = (language: string) => get(f, '/lang', { headers: { 'accept-language': language } });
    await ask('fr-CH, fr;q=0.9');
    // First choice French: the stored French response, though the header differs.
    const french = await ask('fr, en;q=0.5');
    expect(french.text).toBe('1');
    expect(cacheStatusOf(french.response)).toMatchObject({ hit: true });
    expect(origin.count('/lang')).toBe(1);
    // First choice English: not what is stored, so the origin decides.
    const english = await ask('en, fr;q=0.5');
    expect(english.text).toBe('2');
    expect(cacheStatusOf(english.response).fwd).toBe('vary-miss');
    expect(origin.count('/lang')).toBe(2);
  });

  it('a language selection hands back the lock it took for the variant', async () => {
    origin.route('/lock', () =>
      respond('fr', {
        'cache-control': 'max-age=60',
        vary: 'Accept-Language',
        'content-language': 'fr',
      }),
    );
    const lock = new LockTable({ timeoutMs: 60_000 });
    const f = new FetchFlow({ ...deps(), lock });
    await get(f, '/lock', { headers: { 'accept-language': 'fr' } });
    const selected = await get(f, '/lock', { headers: { 'accept-language': 'fr, de;q=0.1' } });
    expect(cacheStatusOf(selected.response)).toMatchObject({ hit: true });
    const variance = varianceHash(
      ['accept-language'],
      new Headers({ 'accept-language': 'fr, de;q=0.1' }),
    );
    const next = lock.lockNow({ namespace: '', primary: `${ORIGIN}/lock`, variance });
    expect(next.kind, 'the variant key is free').toBe('write');
  });

  it('a vary-miss offers the stored variant’s tag; a 304 naming it selects that variant', async () => {
    origin.route('/tag', (request, n) => {
      const offered = request.headers.get('if-none-match');
      const headers = { 'cache-control': 'max-age=60', vary: 'Accept-Language', etag: '"e1"' };
      if (offered === '"e1"') return new Response(null, { status: 304, headers });
      return respond(`body ${n}`, headers);
    });
    const f = flow();
    const ask = (language: string) => get(f, '/tag', { headers: { 'accept-language': language } });
    await ask('en');
    const french = await ask('fr');
    expect(french.text).toBe('body 1');
    expect(french.response.status).toBe(200);
    expect(cacheStatusOf(french.response)).toMatchObject({
      fwd: 'vary-miss',
      'fwd-status': '304',
      stored: true,
    });
    expect(origin.last('/tag')?.headers.get('if-none-match')).toBe('"e1"');
    // Stored under the French variance: a hit now, both variants kept.
    expect(cacheStatusOf((await ask('fr')).response)).toMatchObject({ hit: true });
    expect(cacheStatusOf((await ask('en')).response)).toMatchObject({ hit: true });
    expect(origin.count('/tag')).toBe(2);
  });

  it('a 304 naming another tag is followed by a plain request', async () => {
    origin.route('/tag2', (request, n) => {
      const headers = { 'cache-control': 'max-age=60', vary: 'Accept-Language' };
      if (request.headers.has('if-none-match')) {
        return new Response(null, { status: 304, headers: { ...headers, etag: '"other"' } });
      }
      return respond(`body ${n}`, { ...headers, etag: `"e${n}"` });
    });
    const f = flow();
    await get(f, '/tag2', { headers: { 'accept-language': 'en' } });
    const french = await get(f, '/tag2', { headers: { 'accept-language': 'fr' } });
    expect(french.text).toBe('body 3');
    expect(origin.count('/tag2')).toBe(3);
    expect(origin.last('/tag2')?.headers.has('if-none-match')).toBe(false);
  });

  it('never matches Vary: *', async () => {
    origin.route('/star', (_r, n) => respond(`${n}`, { 'cache-control': 'max-age=60', vary: '*' }));
    const f = flow();
    await get(f, '/star');
    await get(f, '/star');
    expect(origin.count('/star')).toBe(2);
  });
});

describe('request cache modes (Fetch standard)', () => {
  beforeEach(() => {
    origin.route('/m', (_r, n) =>
      respond(`m${n}`, { 'cache-control': 'max-age=10', etag: `"${n}"` }),
    );
  });

  it('no-store neither reads nor writes the cache', async () => {
    const f = flow();
    await get(f, '/m', { cache: 'no-store' });
    const next = await get(f, '/m');
    expect(cacheStatusOf(next.response).fwd).toBe('uri-miss');
    expect(origin.count('/m')).toBe(2);
  });

  it('reload skips the lookup but stores the answer', async () => {
    const f = flow();
    await get(f, '/m');
    expect((await get(f, '/m', { cache: 'reload' })).text).toBe('m2');
    expect((await get(f, '/m')).text).toBe('m2');
    expect(origin.count('/m')).toBe(2);
  });

  it('no-cache revalidates even a fresh entry', async () => {
    const f = flow();
    await get(f, '/m');
    await get(f, '/m', { cache: 'no-cache' });
    expect(origin.count('/m')).toBe(2);
    expect(origin.last('/m')?.headers.get('if-none-match')).toBe('"1"');
  });

  it('no-cache (a reload) sends Cache-Control: max-age=0 with its validators, unless it has its own', async () => {
    const f = flow();
    await get(f, '/m');
    await get(f, '/m', { cache: 'no-cache' });
    expect(origin.last('/m')?.headers.get('cache-control')).toBe('max-age=0');
    await get(f, '/m', { cache: 'no-cache', headers: { 'cache-control': 'max-stale=5' } });
    expect(origin.last('/m')?.headers.get('cache-control')).toBe('max-stale=5');
  });

  it('no-cache (a reload) reuses a fresh immutable entry; a stale one is revalidated', async () => {
    origin.route('/i', (_r, n) =>
      respond(`i${n}`, { 'cache-control': 'max-age=10, immutable', etag: `"${n}"` }),
    );
    const f = flow();
    await get(f, '/i');
    const reload = await get(f, '/i', { cache: 'no-cache' });
    expect(reload.text).toBe('i1');
    expect(cacheStatusOf(reload.response)).toMatchObject({ hit: true });
    expect(origin.count('/i')).toBe(1);
    const forced = await get(f, '/i', {
      cache: 'no-cache',
      headers: { 'cache-control': 'no-cache' },
    });
    expect(cacheStatusOf(forced.response).fwd).toBe('stale');
    expect(origin.count('/i')).toBe(2);
    clock.advance(20_000);
    await get(f, '/i', { cache: 'no-cache' });
    expect(origin.count('/i')).toBe(3);
    expect(origin.last('/i')?.headers.get('if-none-match')).toBe('"2"');
  });

  it('force-cache uses a stale entry without the origin', async () => {
    const f = flow();
    await get(f, '/m');
    clock.advance(60_000);
    expect((await get(f, '/m', { cache: 'force-cache' })).text).toBe('m1');
    expect(origin.count('/m')).toBe(1);
  });

  it('only-if-cached answers 504 on a miss and never asks the origin', async () => {
    const f = flow();
    const miss = await get(f, '/m', { cache: 'only-if-cached', mode: 'same-origin' });
    expect(miss.response.status).toBe(504);
    expect(origin.count('/m')).toBe(0);
  });
});

describe('HEAD and the page’s own conditional requests', () => {
  beforeEach(() => {
    origin.route('/h', () => respond('hello', { 'cache-control': 'max-age=60', etag: '"h"' }));
  });

  it('answers HEAD from a stored GET, without a body', async () => {
    const f = flow();
    await get(f, '/h');
    const head = await get(f, '/h', { method: 'HEAD' });
    expect([head.response.status, head.text, cacheStatusOf(head.response).hit]).toEqual([
      200,
      '',
      true,
    ]);
    expect(origin.count('/h')).toBe(1);
  });

  it('forwards a HEAD miss and stores nothing', async () => {
    const f = flow();
    await get(f, '/h', { method: 'HEAD' });
    await get(f, '/h');
    expect(origin.count('/h')).toBe(2);
  });

  it('a 200 to HEAD with matching validators updates the stored GET (RFC 9111 §4.3.5)', async () => {
    origin.route('/hu', (request, n) =>
      respond(request.method === 'HEAD' ? '' : 'hello', {
        'cache-control': n === 1 ? 'max-age=0' : 'max-age=60',
        etag: '"h"',
        'x-version': String(n),
        ...(request.method === 'HEAD' ? { 'content-length': '5' } : {}),
      }),
    );
    const f = flow();
    await get(f, '/hu');
    clock.advance(1_000);
    await get(f, '/hu', { method: 'HEAD', cache: 'reload' });
    const after = await get(f, '/hu');
    expect(after.text).toBe('hello');
    expect(after.response.headers.get('x-version')).toBe('2');
    expect(cacheStatusOf(after.response)).toMatchObject({ hit: true });
    expect(origin.requests.map((request) => request.method)).toEqual(['GET', 'HEAD']);
  });

  it('a 200 to HEAD with another ETag or length drops the stored GET', async () => {
    for (const [path, head] of [
      ['/he', { etag: '"other"' }],
      ['/hl', { etag: '"h"', 'content-length': '99' }],
    ] as const) {
      origin.route(path, (request) =>
        request.method === 'HEAD'
          ? respond('', { 'cache-control': 'max-age=60', ...head })
          : respond('hello', { 'cache-control': 'max-age=60', etag: '"h"' }),
      );
      const f = flow();
      await get(f, path);
      await get(f, path, { method: 'HEAD', cache: 'reload' });
      expect(cacheStatusOf((await get(f, path)).response).fwd).toBe('uri-miss');
      expect(origin.count(path)).toBe(3);
    }
  });

  it('answers a matching If-None-Match with 304 from cache (RFC 9110 §13.1.2)', async () => {
    const f = flow();
    await get(f, '/h');
    const conditional = await get(f, '/h', { headers: { 'if-none-match': 'W/"h"' } });
    expect(conditional.response.status).toBe(304);
    expect(conditional.response.headers.get('etag')).toBe('"h"');
    expect(origin.count('/h')).toBe(1);
  });
});

describe('failures never cost the page its response', () => {
  it('serves the whole body when storage fails, and stores nothing', async () => {
    origin.route('/f', () => respond('payload', { 'cache-control': 'max-age=60' }));
    const broken = new MemoryStorage();
    broken.getMissHandler = () => Promise.reject(new Error('QuotaExceededError'));
    const f = flow({}, broken);
    const first = await get(f, '/f');
    expect(first.text).toBe('payload');
    expect(cacheStatusOf(first.response)).toMatchObject({ detail: 'StorageError' });
    await get(f, '/f');
    expect(origin.count('/f')).toBe(2);
  });

  it('falls back to the network when a lookup throws', async () => {
    origin.route('/l', () => respond('net', { 'cache-control': 'max-age=60' }));
    const broken = new MemoryStorage();
    broken.lookup = () => Promise.reject(new Error('database closed'));
    const result = await get(flow({}, broken), '/l');
    expect(result.text).toBe('net');
    expect(cacheStatusOf(result.response).detail).toBe('InternalError');
  });

  it('errors the page body when upstream breaks mid-body, and stores nothing', async () => {
    let calls = 0;
    origin.route('/b', () => {
      calls++;
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (calls === 1 && sent === 1) return controller.error(new TypeError('connection reset'));
          if (sent === 2) return controller.close();
          sent++;
          controller.enqueue(new TextEncoder().encode('chunk'));
        },
      });
      return new Response(body, {
        headers: { 'cache-control': 'max-age=60', date: formatHttpDate(clock.now) },
      });
    });
    const failures: string[] = [];
    const logged: string[] = [];
    const f = new FetchFlow({
      ...deps({}, storage),
      storeFailed: (cause) => failures.push(cause),
      log: (message) => logged.push(message),
    });
    const response = await f.handle(new Request(`${ORIGIN}/b`), background.waitUntil);
    await expect(response.text()).rejects.toThrow();
    await background.settle();
    // An upstream failure, not a storage one: counted and logged as such.
    expect(failures).toEqual(['upstream']);
    expect(logged.join('\n')).toMatch(/origin failed mid-body/);
    expect(logged.join('\n')).not.toMatch(/storing failed/);
    const retry = await get(f, '/b');
    expect(retry.text).toBe('chunkchunk');
    expect(cacheStatusOf(retry.response).hit).toBeUndefined();
  });

  it('treats entries stored before validAfter as absent, and replaces them', async () => {
    origin.route('/old', (_r, n) => respond(`old ${n}`, { 'cache-control': 'max-age=600' }));
    await get(flow(), '/old');
    clock.advance(1_000);
    const deployed = flow({ validAfter: clock.now });
    const after = await get(deployed, '/old');
    expect([after.text, cacheStatusOf(after.response).fwd]).toEqual(['old 2', 'uri-miss']);
    expect(cacheStatusOf((await get(deployed, '/old')).response).hit).toBe(true);
  });

  it('serves a body over maxBodySize without storing it, then predicts it uncacheable', async () => {
    origin.route('/big', () => respond('x'.repeat(100), { 'cache-control': 'max-age=60' }));
    const f = flow({ maxBodySize: 10 });
    expect((await get(f, '/big')).text).toHaveLength(100);
    const second = await get(f, '/big');
    expect(cacheStatusOf(second.response)).toMatchObject({ fwd: 'bypass' });
    expect(origin.count('/big')).toBe(2);
  });
});

describe('invalidation (RFC 9111 §4.4) and Clear-Site-Data', () => {
  beforeEach(() => {
    origin.route('/items', (_r, n) => respond(`list ${n}`, { 'cache-control': 'max-age=600' }));
    origin.route('/items/1', (_r, n) => respond(`item ${n}`, { 'cache-control': 'max-age=600' }));
  });

  async function unsafe(method: string, path: string): Promise<Response> {
    // The purge is done before the answer; storing a POST answer may go on in the background.
    return handleUnsafe(
      deps(),
      new Request(ORIGIN + path, { method, body: 'x' }),
      background.waitUntil,
    );
  }

  it('a POST answer with explicit freshness and its own Content-Location is stored for GETs', async () => {
    origin.route('/cart', (request, n) =>
      respond(`${request.method} ${n}`, {
        'cache-control': 'max-age=60',
        'content-location': n === 3 ? '/elsewhere' : '/cart',
      }),
    );
    const f = flow();
    const posted = await unsafe('POST', '/cart');
    expect(await posted.text()).toBe('POST 1');
    expect(cacheStatusOf(posted)).toMatchObject({ fwd: 'method', stored: true });
    await background.settle();
    const got = await get(f, '/cart');
    expect(got.text).toBe('POST 1');
    expect(cacheStatusOf(got.response)).toMatchObject({ hit: true });
    expect(origin.count('/cart')).toBe(1);
    // Another POST still goes to the origin and replaces it.
    expect(await (await unsafe('POST', '/cart')).text()).toBe('POST 2');
    await background.settle();
    expect((await get(f, '/cart')).text).toBe('POST 2');
    // A Content-Location naming another URL: not stored, and the entry was invalidated.
    const other = await unsafe('POST', '/cart');
    expect(await other.text()).toBe('POST 3');
    await background.settle();
    expect((await get(f, '/cart')).text).toBe('GET 4');
    expect(origin.count('/cart')).toBe(4);
  });

  it('a POST answer without explicit freshness is not stored', async () => {
    origin.route('/form', (request, n) =>
      respond(`${request.method} ${n}`, { 'content-location': '/form', etag: '"f"' }),
    );
    const f = flow();
    const posted = await unsafe('POST', '/form');
    expect(cacheStatusOf(posted).stored).toBeUndefined();
    await background.settle();
    expect((await get(f, '/form')).text).toBe('GET 2');
  });

  it('a successful POST invalidates its target and its same-origin Location', async () => {
    origin.route('/items', (request, n) =>
      request.method === 'POST'
        ? new Response('created', { status: 201, headers: { location: '/items/1' } })
        : respond(`list ${n}`, { 'cache-control': 'max-age=600' }),
    );
    const f = flow();
    await get(f, '/items');
    await get(f, '/items/1');
    const created = await unsafe('POST', '/items');
    expect(created.status).toBe(201);
    expect(cacheStatusOf(created)).toMatchObject({ fwd: 'method', 'fwd-status': '201' });
    expect(cacheStatusOf((await get(f, '/items')).response).fwd).toBe('uri-miss');
    expect(cacheStatusOf((await get(f, '/items/1')).response).fwd).toBe('uri-miss');
  });

  it('an error answer invalidates nothing', async () => {
    origin.route('/items/1', (request, n) =>
      request.method === 'DELETE'
        ? new Response('no', { status: 403 })
        : respond(`item ${n}`, { 'cache-control': 'max-age=600' }),
    );
    const f = flow();
    await get(f, '/items/1');
    await unsafe('DELETE', '/items/1');
    expect(cacheStatusOf((await get(f, '/items/1')).response).hit).toBe(true);
  });

  it('an unreachable origin gives the unsafe request a network error', async () => {
    origin.route('/down', () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await unsafe('POST', '/down')).type).toBe('error');
  });

  it('Clear-Site-Data: "cache" empties the cache', async () => {
    origin.route(
      '/logout',
      () => new Response('bye', { headers: { 'clear-site-data': '"cache", "cookies"' } }),
    );
    const f = flow();
    await get(f, '/items');
    await unsafe('POST', '/logout');
    expect(cleared).toBe(1);
    expect(cacheStatusOf((await get(f, '/items')).response).fwd).toBe('uri-miss');
  });
});

describe('ranges (RFC 9110 §14)', () => {
  it('serves a range of a stored body as 206, and 416 when unsatisfiable', async () => {
    origin.route('/bytes', () => respond('0123456789', { 'cache-control': 'max-age=600' }));
    const f = flow();
    await get(f, '/bytes');
    const partial = await get(f, '/bytes', { headers: { range: 'bytes=2-4' } });
    expect([partial.response.status, partial.text]).toEqual([206, '234']);
    expect(partial.response.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(cacheStatusOf(partial.response).hit).toBe(true);
    const none = await get(f, '/bytes', { headers: { range: 'bytes=20-' } });
    expect([none.response.status, none.response.headers.get('content-range')]).toEqual([
      416,
      'bytes */10',
    ]);
    expect(origin.count('/bytes')).toBe(1);
  });

  it('passes an upstream 206 through without storing it or marking the URL uncacheable', async () => {
    origin.route('/video', (request) =>
      request.headers.has('range')
        ? new Response('01', {
            status: 206,
            headers: {
              'content-range': 'bytes 0-1/10',
              'cache-control': 'max-age=600',
              date: formatHttpDate(clock.now),
            },
          })
        : respond('0123456789', { 'cache-control': 'max-age=600' }),
    );
    const f = flow();
    const partial = await get(f, '/video', { headers: { range: 'bytes=0-1' } });
    expect([partial.response.status, partial.text]).toEqual([206, '01']);
    const full = await get(f, '/video');
    expect([full.text, cacheStatusOf(full.response).fwd]).toEqual(['0123456789', 'uri-miss']);
    expect(cacheStatusOf((await get(f, '/video')).response).hit).toBe(true);
  });
});

describe('disconnected operation (RFC 9111 §4.2.4)', () => {
  /** A URL stored with `cacheControl`, then asked for once the origin went down. */
  async function offlineAnswer(
    cacheControl: string,
    options: HttpCacheOptions = {},
    init: RequestInit = {},
    staleFor = 3_600_000,
  ) {
    let up = true;
    origin.route('/d', () => {
      if (!up) throw new TypeError('Failed to fetch');
      return respond('stored', { 'cache-control': cacheControl, etag: '"d1"' });
    });
    const f = flow(options);
    await get(f, '/d');
    up = false;
    clock.advance(staleFor);
    const answer = await get(f, '/d', init);
    return { ...answer, attempts: origin.count('/d') };
  }

  it('serves a stale entry without stale-if-error, and says why', async () => {
    const { response, text, attempts } = await offlineAnswer('max-age=60');
    expect(text).toBe('stored');
    expect(response.status).toBe(200);
    expect(cacheStatusOf(response)).toMatchObject({ fwd: 'stale', detail: 'origin-unreachable' });
    expect(cacheStatusOf(response)['fwd-status']).toBeUndefined();
    expect(attempts).toBe(2);
  });

  it.each([
    { name: 'must-revalidate', cc: 'max-age=60, must-revalidate', init: {} },
    { name: 'proxy-revalidate', cc: 'max-age=60, proxy-revalidate', init: {} },
    { name: 'no-cache', cc: 'no-cache', init: {} },
    {
      name: 'a request no-cache',
      cc: 'max-age=60',
      init: { headers: { 'cache-control': 'no-cache' } },
    },
    {
      name: 'a request max-stale=60',
      cc: 'max-age=60',
      init: { headers: { 'cache-control': 'max-stale=60' } },
    },
  ])('$name forbids it: a network error', async ({ cc, init }) => {
    const { response, attempts } = await offlineAnswer(cc, {}, init);
    expect(response.type).toBe('error');
    expect(attempts).toBe(2);
  });

  it('offlineMaxStale bounds the staleness and 0 switches it off', async () => {
    expect((await offlineAnswer('max-age=60', { offlineMaxStale: 7200 })).text).toBe('stored');
    origin = new FakeOrigin();
    storage = new MemoryStorage();
    const tooOld = await offlineAnswer('max-age=60', { offlineMaxStale: 60 });
    expect(tooOld.response.type).toBe('error');
    origin = new FakeOrigin();
    storage = new MemoryStorage();
    expect((await offlineAnswer('max-age=60', { offlineMaxStale: 0 })).response.type).toBe('error');
  });

  it('rejects an offlineMaxStale that is not a non-negative number', () => {
    expect(() => resolveOptions({ offlineMaxStale: -1 }, ORIGIN)).toThrow(RangeError);
    expect(() => resolveOptions({ offlineMaxStale: Number.NaN }, ORIGIN)).toThrow(RangeError);
  });
});

describe('No-Vary-Search (draft-ietf-httpbis-no-vary-search)', () => {
  beforeEach(() => {
    origin.route('/search', (request, n) => {
      const nvs = new URL(request.url).searchParams.get('nvs');
      return respond(`search ${n}`, {
        'cache-control': 'max-age=60',
        ...(nvs === null ? {} : { 'no-vary-search': nvs }),
      });
    });
  });
  const path = (query: string, nvs = 'params=("utm"), key-order') =>
    `/search?nvs=${encodeURIComponent(nvs)}&${query}`;
  /** A flow with the `noVarySearch()` feature. */
  const nvsFlow = () => new FetchFlow({ ...deps(), searchVariance: new SearchVarianceHints() });

  it('matches URLs exactly without the noVarySearch feature', async () => {
    const f = flow();
    expect((await get(f, path('id=1&utm=a'))).text).toBe('search 1');
    expect((await get(f, path('utm=b&id=1'))).text).toBe('search 2');
    expect((await get(f, path('id=1&utm=a'))).text).toBe('search 1');
  });

  it('a URL that differs only in ignored parameters gets the stored response', async () => {
    const f = nvsFlow();
    expect((await get(f, path('id=1&utm=a'))).text).toBe('search 1');
    const other = await get(f, path('utm=b&id=1'));
    expect(other.text).toBe('search 1');
    expect(cacheStatusOf(other.response)).toMatchObject({ hit: true });
    expect(origin.count('/search')).toBe(1);
    // A parameter that counts: another response.
    expect((await get(f, path('id=2&utm=a'))).text).toBe('search 2');
  });

  it('an exact match wins over an equivalent one; a miss is stored under the equivalent URL', async () => {
    origin.route('/exact', (request, n) => {
      const plain = new URL(request.url).searchParams.get('utm') === 'plain';
      return respond(`exact ${n}`, {
        'cache-control': 'max-age=60',
        ...(plain ? {} : { 'no-vary-search': 'params=("utm")' }),
      });
    });
    const f = nvsFlow();
    await get(f, '/exact?id=1&utm=plain');
    await get(f, '/exact?id=1&utm=a');
    expect((await get(f, '/exact?id=1&utm=plain')).text).toBe('exact 1');
    expect((await get(f, '/exact?id=1&utm=b')).text).toBe('exact 2');
    // A reload of an equivalent URL replaces the equivalent entry.
    await get(f, '/exact?id=1&utm=c', { cache: 'reload' });
    expect((await get(f, '/exact?id=1&utm=a')).text).toBe('exact 3');
    expect(origin.count('/exact')).toBe(3);
  });

  it.each(['params=(utm)', 'except=("id")', 'params=?0', 'nonsense('])(
    'a malformed or default No-Vary-Search "%s" matches exactly only',
    async (nvs) => {
      const f = nvsFlow();
      await get(f, path('id=1&utm=a', nvs));
      expect((await get(f, path('id=1&utm=b', nvs))).text).toBe('search 2');
      expect((await get(f, path('id=1&utm=a', nvs))).text).toBe('search 1');
    },
  );
});
