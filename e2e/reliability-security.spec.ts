/**
 * Security (issue 8): what a response, a URL, a page script or a hostile message can make the
 * cache store or serve. Each test checks storage itself (the worker's IndexedDB, read from a
 * page), what the page was served byte for byte, what reached the origin, and that the worker
 * recorded no uncaught error (`expectNoWorkerFaults`). The figures each test reports go to
 * docs/RELIABILITY.md (Security).
 *
 * Checked at unit level instead, where the demo worker cannot be configured for it:
 * `cacheAuthorized` (src/sw/credentials.test.ts), cross-origin routes and opaque responses
 * (src/sw/cross-origin.test.ts), the key of hosts with letters and default ports
 * (src/core/key-url-tricks.test.ts), hash collisions (src/storage/collision.test.ts).
 */
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { readCacheDb, unreferencedBodyIds } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { logLines, openDemo } from './helpers/demo-app.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch, type PageFetchInit } from './helpers/page-fetch.ts';
import { scaled } from './helpers/reliability-scale.ts';
import { chunksContaining } from './helpers/stored-bytes-scan.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import process from 'node:process';
import { deterministicSlice, startOrigin } from './server/origin.mjs';

test.setTimeout(scaled(60_000, 180_000));

/** Records a figure for the docs: printed, and kept as a test annotation. */
function report(testInfo: TestInfo, figures: Record<string, number | string>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  testInfo.annotations.push({ type: 'figures', description: text });
  console.log(`[security ${testInfo.project.name}] ${testInfo.title}: ${text}`);
}

/** URLs (path and query) the worker's IndexedDB holds a meta record for. */
async function storedPaths(page: Page, name?: string): Promise<string[]> {
  const { metas } = await readCacheDb(page, name);
  return metas.map((meta) => {
    const url = new URL(meta.primary);
    return url.origin === new URL(page.url()).origin ? url.pathname + url.search : url.href;
  });
}

/** A text unique to this test run, put into a body so storage can be searched for it. */
function marker(label: string): string {
  return `secret-${label}-${Math.random().toString(36).slice(2)}`;
}

const MIB = 1024 * 1024;

test.describe('no-store never reaches storage', () => {
  test('no-store responses and requests leave nothing in IndexedDB or memory', async ({
    swPage,
    origin,
  }, testInfo) => {
    // The memory layer keeps bodies up to 8 MiB by default (maxBytes / 4): a larger one would
    // only have gone to IndexedDB.
    const largeSize = 8 * MIB + 4096;
    const cases: { label: string; path: string; init?: PageFetchInit; needle: string | Buffer }[] =
      [];
    const add = (label: string, params: Record<string, string>, init?: PageFetchInit) => {
      const body = marker(label);
      cases.push({ label, path: apiUrl('/api/resource', { ...params, body }), init, needle: body });
    };
    add('no-store', { cc: 'no-store' });
    add('no-store-max-age-public', { cc: 'public, max-age=600, no-store' });
    add('private-no-store', { cc: 'private, no-store, max-age=600' });
    add('no-store-validators', { cc: 'no-store, must-revalidate', etag: 'v1', lm: '-600' });
    add('no-store-second-field', { cc: 'max-age=600', h: 'cache-control:no-store' });
    add('request-mode-no-store', { cc: 'max-age=600' }, { cache: 'no-store' });
    add(
      'request-header-no-store',
      { cc: 'max-age=600' },
      { headers: { 'cache-control': 'no-store' } },
    );
    const large = apiUrl('/api/resource', { cc: 'no-store', size: largeSize });
    cases.push({ label: 'large-no-store', path: large, needle: deterministicSlice(large, 0, 64) });

    // A stored entry whose revalidation answers 304 with no-store (RFC 9111 §4.3.4: the merged
    // headers forbid keeping it): the stored body must go.
    const revalidatedBody = marker('revalidated');
    const revalidated = sequenceUrl([
      { cc: 'max-age=0', etag: 'v1', body: revalidatedBody },
      { cc: 'no-store', etag: 'v1' },
    ]);
    // The positive control: the same scan finds a body that may be stored.
    const controlBody = marker('control');
    const control = apiUrl('/api/resource', { cc: 'max-age=600', body: controlBody });

    let bytesChecked = 0;
    for (const { path, init } of cases) {
      for (let round = 1; round <= 2; round++) {
        const result = await pageFetch(swPage, path, {
          as: path === large ? 'sha256' : 'text',
          init,
        });
        expect(result.status).toBe(200);
        if (path === large) expect(result.sha256).toBe(expectedSha256(large, largeSize));
        else expect(result.bodyText).toContain('secret-');
        bytesChecked += result.bodySize;
        // Never answered from memory or IndexedDB: every round reaches the origin.
        expect(parseCacheStatus(result.headers['cache-status']).hit, path).toBe(false);
        expect(origin.count(path), path).toBe(round);
      }
    }
    const first = await pageFetch(swPage, revalidated);
    expect(first.bodyText).toBe(revalidatedBody);
    expect(await storedPaths(swPage)).toContain(revalidated);
    const merged = await pageFetch(swPage, revalidated);
    expect(merged.bodyText).toBe(revalidatedBody); // served once, from the 304 merge
    expect(parseCacheStatus(merged.headers['cache-status'])).toMatchObject({ fwdStatus: 304 });

    await pageFetch(swPage, control);
    await expect.poll(() => storedPaths(swPage)).toEqual([control]);

    const snapshot = await readCacheDb(swPage);
    expect(unreferencedBodyIds(snapshot), 'chunks without a complete meta').toEqual([]);
    const needles = [...cases.map((c) => c.needle), revalidatedBody, controlBody];
    const found = await chunksContaining(swPage, needles);
    expect(found).toEqual([...cases.map(() => 0), 0, 1]);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      responses: cases.length * 2 + 2,
      storedNoStore: 0,
      bytesChecked,
      chunksScanned: snapshot.chunks.length,
    });
  });
});

/** The test origin's static directory, as the fixture uses it (for a second origin). */
const STATIC_DIR = process.env.SW_HTTP_CACHE_E2E_STATIC_DIR ?? 'dist-demo';

/** Fetches `url` from the page with `init` and reports the response type and body text. */
function typedFetch(
  page: Page,
  url: string,
  init: RequestInit,
): Promise<{ type: string; status: number; text: string; cacheStatus: string | null }> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return {
        type: response.type,
        status: response.status,
        text: await response.text(),
        cacheStatus: response.headers.get('cache-status'),
      };
    },
    { url, init },
  );
}

test.describe('cross-origin and opaque responses', () => {
  test('the demo worker stores neither an opaque nor a redirected cross-origin response', async ({
    swPage,
    origin,
  }, testInfo) => {
    const other = await startOrigin({ staticDir: STATIC_DIR });
    try {
      const body = marker('opaque');
      const target = `${other.url}${apiUrl('/api/resource', {
        cc: 'max-age=600',
        body,
        h: 'access-control-allow-origin:*',
      })}`;
      // Not routed (the demo routes same-origin /api/ only): the browser fetches it itself.
      const direct = await typedFetch(swPage, target, { mode: 'no-cors' });
      expect(direct).toMatchObject({ type: 'opaque', status: 0, text: '' });
      // Routed: a same-origin URL that redirects to the other origin; the worker fetches it.
      const redirect = apiUrl('/api/resource', {
        status: 302,
        cc: 'max-age=600',
        h: `location:${target}`,
      });
      let answers = 1;
      for (let round = 1; round <= 2; round++) {
        const opaque = await typedFetch(swPage, redirect, { mode: 'no-cors' });
        expect(opaque).toMatchObject({ type: 'opaque', status: 0, text: '' });
        const cors = await typedFetch(swPage, redirect, { mode: 'cors' });
        // The worker answers with a response of its own (headers it could read, Cache-Status
        // added), which the page sees as `basic`.
        expect(cors).toMatchObject({ status: 200, text: body });
        expect(parseCacheStatus(cors.cacheStatus)).toMatchObject({ hit: false, stored: false });
        answers += 2;
        expect(origin.count(redirect)).toBe(round * 2);
      }
      const stored = await storedPaths(swPage);
      expect(stored.filter((path) => path.includes(other.url) || path === redirect)).toEqual([]);
      expect(await chunksContaining(swPage, [body])).toEqual([0]);
      await expectNoWorkerFaults(swPage);
      report(testInfo, { answers, stored: 0 });
    } finally {
      await other.close();
    }
  });

  test('a cross-origin route (Workbox worker) stores a CORS response under its own URL, never an opaque one', async ({
    swContext,
    origin,
  }, testInfo) => {
    // demo/workbox-sw.ts routes `/api/` of every origin to HttpCacheHandler: the configuration a
    // user writes to cache another origin's API. (That worker has no fault log.)
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/e2e/workbox.html`);
    await page.evaluate(() => window.swReady);
    const other = await startOrigin({ staticDir: STATIC_DIR });
    try {
      const opaquePath = apiUrl('/api/resource', { cc: 'max-age=600', body: marker('no-cors') });
      const corsPath = apiUrl('/api/resource', {
        cc: 'max-age=600',
        h: 'access-control-allow-origin:*',
      });
      for (let round = 1; round <= 2; round++) {
        const opaque = await typedFetch(page, other.url + opaquePath, { mode: 'no-cors' });
        expect(opaque).toMatchObject({ type: 'opaque', text: '' });
        expect(other.count(opaquePath)).toBe(round);
        const cors = await typedFetch(page, other.url + corsPath, { mode: 'cors' });
        expect(cors.text).toBe(`origin response #1 for ${corsPath}`);
        expect(parseCacheStatus(cors.cacheStatus).hit).toBe(round === 2);
      }
      expect(other.count(corsPath)).toBe(1);
      // The same path and query on the page's own origin is another key: its own origin answers.
      const own = await typedFetch(page, corsPath, {});
      expect(parseCacheStatus(own.cacheStatus)).toMatchObject({ hit: false, fwd: 'uri-miss' });
      expect(origin.count(corsPath)).toBe(1);
      const stored = (await readCacheDb(page, 'sw-http-cache-workbox')).metas.map((m) => m.primary);
      expect(stored.sort()).toEqual([other.url + corsPath, origin.url + corsPath].sort());
      report(testInfo, { opaqueFetched: 2, opaqueStored: 0, corsStored: 1 });
    } finally {
      await other.close();
    }
  });
});

test.describe('credentials', () => {
  test('Authorization: not stored by default; public is stored and shared (RFC 9111 §3.5); Vary keeps users apart', async ({
    swPage,
    origin,
  }, testInfo) => {
    const alice = { authorization: 'Bearer alice' };
    const bob = { authorization: 'Bearer bob' };
    // Default (`cacheAuthorized: false`): max-age alone does not let it be stored.
    const privatePath = '/api/echo?user=1';
    const first = await pageFetch(swPage, privatePath, { init: { headers: alice } });
    const again = await pageFetch(swPage, privatePath, { init: { headers: alice } });
    const anonymous = await pageFetch(swPage, privatePath);
    expect(new Set([first.bodyText, again.bodyText, anonymous.bodyText]).size).toBe(3);
    expect(parseCacheStatus(first.headers['cache-status']).detail).toBe('authorization');
    expect(origin.requests(privatePath).map((r) => r.headers.authorization)).toEqual([
      'Bearer alice',
      'Bearer alice',
      undefined,
    ]);

    // `public` allows storing it (§3.5) and the stored response is reused for later requests,
    // with or without Authorization: a private cache serves one browser profile.
    const publicPath = apiUrl('/api/resource', { cc: 'public, max-age=600' });
    const stored = await pageFetch(swPage, publicPath, { init: { headers: alice } });
    const reused = await pageFetch(swPage, publicPath);
    expect(reused.bodyText).toBe(stored.bodyText);
    expect(parseCacheStatus(reused.headers['cache-status']).hit).toBe(true);

    // `Vary: Authorization` gives each credential its own stored variant.
    const varied = apiUrl('/api/resource', { cc: 'public, max-age=600', vary: 'authorization' });
    const users = [alice, bob, {}];
    const bodies: string[] = [];
    for (const headers of users) {
      bodies.push((await pageFetch(swPage, varied, { init: { headers } })).bodyText ?? '');
    }
    expect(bodies).toEqual([1, 2, 3].map((n) => `origin response #${n} for ${varied}`));
    for (const [index, headers] of users.entries()) {
      const hit = await pageFetch(swPage, varied, { init: { headers } });
      expect(hit.bodyText).toBe(bodies[index]);
      expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
    }
    const paths = await storedPaths(swPage);
    expect(paths.filter((p) => p === privatePath)).toEqual([]);
    expect(paths.filter((p) => p === varied)).toHaveLength(3);
    await expectNoWorkerFaults(swPage);
    report(testInfo, { requests: 3 + 2 + 6, authorizedStoredByDefault: 0, variants: 3 });
  });

  test('cookies go to the origin and do not change storability (as documented)', async ({
    swPage,
    origin,
  }, testInfo) => {
    await swPage.evaluate(() => {
      document.cookie = 'sid=alice; path=/';
    });
    const path = '/api/echo?cookie=1';
    const first = await pageFetch(swPage, path);
    expect(origin.requests(path)[0]?.headers.cookie).toBe('sid=alice');
    expect(parseCacheStatus(first.headers['cache-status']).stored).toBe(true);
    const second = await pageFetch(swPage, path);
    expect(second.bodyText).toBe(first.bodyText);
    await expect.poll(() => storedPaths(swPage)).toEqual([path]);
    await expectNoWorkerFaults(swPage);
    report(testInfo, { cookieForwarded: 1, storedWithCookie: 1 });
  });
});

test.describe('cache keys and URL tricks', () => {
  test('each URL trick maps to its WHATWG-parsed URL, and no body is served for another URL', async ({
    swPage,
    origin,
  }, testInfo) => {
    const port = origin.port;
    // Each group: spellings of one resource (one key). Different groups: different resources.
    const groups: string[][] = [
      [
        '/api/echo?t=a',
        '/api/echo?t=a#fragment',
        '/api/echo?t=a#/../other',
        '/api/x/../echo?t=a',
        '/api/./echo?t=a',
        '/api/x/%2e%2e/echo?t=a',
        '/api/x/%2E%2e/echo?t=a',
        '/api/x/.%2e/echo?t=a',
        '/api/%2e/echo?t=a',
        '/api\\echo?t=a',
        '/api/ec\tho?t=a',
        `HTTP://127.0.0.1:${port}/api/echo?t=a`,
        `http://0x7F.0.0.1:${port}/api/echo?t=a`,
        `http://2130706433:${port}/api/echo?t=a`,
        `http://127.1:0${port}/api/echo?t=a`,
      ],
      ['/api/echo'],
      ['/api/echo?'],
      ['/api/echo?a=1&b=2'],
      ['/api/echo?b=2&a=1'],
      ['/api/echo?t=%61'],
      ['/api/echo?t=A'],
      ['/api/echo?t=%2F', '/api/echo?t=%2F#x'],
      ['/api/echo?t=%2f'],
      ['/api/echo?t=/'],
      ['/api/echo?t=..%2Fsecret'],
      ['/api/echo?t=a%23b'],
    ];
    const parsed = await swPage.evaluate(
      (groups) =>
        groups.map((group) =>
          group.map((spelling) => {
            const url = new URL(spelling, location.href);
            url.hash = '';
            return url.href;
          }),
        ),
      groups,
    );
    // The groups are right by the browser's own parser: one href per group, all distinct.
    const hrefs = parsed.map((group) => [...new Set(group)]);
    for (const group of hrefs) expect(group).toHaveLength(1);
    expect(new Set(hrefs.flat()).size).toBe(groups.length);

    const served = new Map<string, string>();
    let requests = 0;
    for (let round = 1; round <= 2; round++) {
      for (const [index, group] of groups.entries()) {
        const href = hrefs[index]?.[0] ?? '';
        const target = href.slice(origin.url.length);
        for (const spelling of group) {
          const result = await pageFetch(swPage, spelling);
          requests++;
          const text = result.bodyText ?? '';
          // The body names the target the origin saw: the parsed URL's path and query.
          expect(text.startsWith(`echo GET ${target} `), `${spelling} got ${text}`).toBe(true);
          const earlier = served.get(href);
          if (earlier === undefined) served.set(href, text);
          else expect(text, spelling).toBe(earlier); // the one stored response, never another
        }
      }
      expect(origin.count('/api/echo')).toBe(groups.length);
    }
    expect(new Set(served.values()).size).toBe(groups.length);
    await expect.poll(async () => (await storedPaths(swPage)).length).toBe(groups.length);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      spellings: groups.flat().length,
      keys: groups.length,
      requests,
      originRequests: groups.length,
      crossServed: 0,
    });
  });
});

test.describe('method and variant', () => {
  test('unsafe methods reach the origin, HEAD never feeds GET, each Vary variant keeps its body', async ({
    swPage,
    origin,
  }, testInfo) => {
    const path = '/api/echo?m=1';
    const stored = await pageFetch(swPage, path);
    let checked = 1;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const result = await pageFetch(swPage, path, {
        init: { method, body: method === 'DELETE' ? undefined : 'x' },
      });
      expect(result.bodyText).toMatch(new RegExp(`^${method} /api/echo\\?m=1 #\\d+$`));
      expect(result.bodyText).not.toBe(stored.bodyText);
      checked++;
    }
    expect(origin.requests(path).map((r) => r.method)).toEqual([
      'GET',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
    ]);

    // HEAD first: forwarded and not stored, so the GET after it gets the whole body.
    const headFirst = '/api/echo?h=1';
    const head = await pageFetch(swPage, headFirst, { init: { method: 'HEAD' } });
    expect([head.status, head.bodySize]).toEqual([200, 0]);
    const get = await pageFetch(swPage, headFirst);
    expect(get.bodyText).toMatch(/^echo GET \/api\/echo\?h=1 /);
    expect(parseCacheStatus(get.headers['cache-status']).hit).toBe(false);
    // HEAD from the stored GET (RFC 9110 §9.3.2): headers only, and the GET keeps its body.
    const storedHead = await pageFetch(swPage, headFirst, { init: { method: 'HEAD' } });
    expect([storedHead.bodySize, parseCacheStatus(storedHead.headers['cache-status']).hit]).toEqual(
      [0, true],
    );
    const getAgain = await pageFetch(swPage, headFirst);
    expect(getAgain.bodyText).toBe(get.bodyText);
    checked += 4;

    // Vary on a request header: each value (case matters) gets its own body.
    const varied = apiUrl('/api/resource', { cc: 'max-age=600', vary: 'x-variant' });
    const values = ['a', 'b', 'A', '', 'a, b'];
    const headersOf = (value: string): Record<string, string> =>
      value === '' ? {} : { 'x-variant': value };
    const bodies: string[] = [];
    for (const value of values) {
      bodies.push(
        (await pageFetch(swPage, varied, { init: { headers: headersOf(value) } })).bodyText ?? '',
      );
    }
    expect(bodies).toEqual(values.map((_v, i) => `origin response #${i + 1} for ${varied}`));
    for (const [index, value] of [...values.entries()].reverse()) {
      const hit = await pageFetch(swPage, varied, { init: { headers: headersOf(value) } });
      expect(hit.bodyText, `x-variant: ${value}`).toBe(bodies[index]);
    }
    expect(origin.count(varied)).toBe(values.length);
    checked += values.length * 2;
    await expectNoWorkerFaults(swPage);
    report(testInfo, { answersChecked: checked, variants: values.length, mixedUp: 0 });
  });
});

/** Stores `path` and returns its body, after checking it is a stored entry. */
async function storeEntry(page: Page, path: string): Promise<string> {
  const first = await pageFetch(page, path);
  await expect.poll(() => storedPaths(page)).toContain(path);
  return first.bodyText ?? '';
}

/** The entry is still stored and still served, unchanged, without the origin. */
async function expectServedFromCache(page: Page, path: string, body: string): Promise<void> {
  expect(await storedPaths(page)).toContain(path);
  const again = await pageFetch(page, path);
  expect(again.bodyText).toBe(body);
  expect(parseCacheStatus(again.headers['cache-status']).hit).toBe(true);
}

test.describe('control API and channels', () => {
  test('hostile control messages from a page and from a dedicated worker are refused or dropped', async ({
    swPage,
    origin,
  }, testInfo) => {
    const path = '/api/echo?control=1';
    const body = await storeEntry(swPage, path);
    const outcome = await swPage.evaluate(async (path) => {
      const sw = navigator.serviceWorker.controller!;
      const TYPE = 'sw-http-cache:control';
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      /** Posts a hello with `ports` ports and collects what comes back on the first one. */
      const hello = async (message: unknown, ports: number) => {
        const channels = Array.from({ length: ports }, () => new MessageChannel());
        const replies: unknown[] = [];
        channels[0]?.port1.addEventListener('message', (e) => replies.push(e.data));
        channels[0]?.port1.start();
        sw.postMessage(
          message,
          channels.map((c) => c.port2),
        );
        await wait(150);
        return { replies, port: channels[0]?.port1 };
      };
      const hostileHellos: [unknown, number][] = [
        [null, 1],
        ['hello', 1],
        [[TYPE, 'hello', 1], 1],
        [{ type: TYPE }, 1],
        [{ type: TYPE, kind: 'ready', version: 1 }, 1],
        [{ type: TYPE, kind: 'hello', version: 2 }, 1],
        [{ type: TYPE, kind: 'hello', version: '1' }, 1],
        [{ type: TYPE, kind: 'hello', version: 1 }, 0],
        [{ type: TYPE, kind: 'hello', version: 1 }, 2],
        [{ type: 'APPLY', path: ['clear'], id: 'x' }, 1],
        [{ id: 'y', type: 'APPLY', path: ['clear'], argumentList: [] }, 0],
      ];
      const helloReplies: string[] = [];
      for (const [message, ports] of hostileHellos) {
        const { replies } = await hello(message, ports);
        helloReplies.push(
          replies.map((r) => (r as { kind?: string }).kind ?? JSON.stringify(r)).join(',') ||
            'none',
        );
      }
      // A valid connection, then hostile calls on it.
      const { replies, port } = await hello({ type: TYPE, kind: 'hello', version: 1 }, 1);
      const ready = (replies[0] as { kind?: string } | undefined)?.kind;
      const answers = new Map<unknown, unknown>();
      port!.addEventListener('message', (e) => {
        const id = (e.data as { id?: unknown }).id;
        if (id !== undefined) answers.set(id, e.data);
      });
      const calls: Record<string, unknown>[] = [
        { id: 'get', type: 'GET', path: ['runtime'] },
        { id: 'set', type: 'SET', path: ['options'], value: { type: 'RAW', value: 1 } },
        { id: 'construct', type: 'CONSTRUCT', path: ['clear'], argumentList: [] },
        { id: 'endpoint', type: 'ENDPOINT' },
        { id: 'proto', type: 'APPLY', path: ['__proto__'], argumentList: [] },
        { id: 'nested', type: 'APPLY', path: ['clear', 'call'], argumentList: [] },
        { id: 'runtime', type: 'APPLY', path: ['runtime', 'clear'], argumentList: [] },
        {
          id: 'proxy-arg',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }],
        },
        { id: 'bad-args', type: 'APPLY', path: ['purge'], argumentList: 'x' },
        {
          id: 'bad-target',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: { prefix: 42 } }],
        },
        {
          id: 'two-keys',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: { url: path, tag: 'x' } }],
        },
        {
          id: 'bad-url',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: 'http://[bad' }],
        },
        {
          id: 'debug',
          type: 'APPLY',
          path: ['setDebug'],
          argumentList: [{ type: 'RAW', value: 'yes' }],
        },
        { type: 'APPLY', path: ['clear'], argumentList: 5 },
      ];
      for (const call of calls) port!.postMessage(call);
      port!.postMessage({ id: 'stats', type: 'APPLY', path: ['stats'], argumentList: [] });
      for (let i = 0; i < 50 && !answers.has('stats'); i++) await wait(50);
      const errors = calls
        .filter((call) => call.id !== undefined)
        .map((call) => {
          const answer = answers.get(call.id) as { type?: string; value?: { isError?: boolean } };
          return answer?.type === 'HANDLER' && answer.value?.isError === true ? 'error' : 'no';
        });
      const stats = answers.get('stats') as { value?: { entries?: number } } | undefined;

      // A dedicated worker is not a window client (Chromium does not even give workers
      // navigator.serviceWorker; Firefox does, and gets a refusal). It then tries to clear.
      const workerCode = `(async () => {
        const container = self.navigator.serviceWorker;
        if (!container || !container.controller) { postMessage('no-service-worker'); return; }
        const { port1, port2 } = new MessageChannel();
        const reply = new Promise((resolve) => {
          port1.onmessage = (e) => resolve(e.data.kind);
          setTimeout(() => resolve('none'), 1000);
        });
        container.controller.postMessage({ type: '${TYPE}', kind: 'hello', version: 1 }, [port2]);
        const kind = await reply;
        try { port1.postMessage({ id: 'c', type: 'APPLY', path: ['clear'], argumentList: [] }); } catch {}
        container.controller.postMessage({ id: 'd', type: 'APPLY', path: ['clear'], argumentList: [] });
        postMessage(kind);
      })();`;
      const worker = new Worker(URL.createObjectURL(new Blob([workerCode])));
      const fromWorker = await new Promise<string>((resolve) => {
        worker.onmessage = (e) => resolve(String(e.data));
        worker.onerror = (e) => resolve(`error ${e.message}`);
      });
      worker.terminate();
      await wait(200);
      return { helloReplies, ready, errors, entries: stats?.value?.entries, fromWorker };
    }, path);

    expect(outcome.helloReplies).toEqual([
      'none', // not addressed to the control protocol: someone else's message
      'none',
      'none',
      'refused',
      'refused',
      'refused',
      'refused',
      'none', // no port to answer on
      'refused',
      'none',
      'none',
    ]);
    expect(outcome.ready).toBe('ready');
    expect(outcome.errors).toEqual(outcome.errors.map(() => 'error'));
    expect(outcome.entries).toBe(1); // the connection still works, and nothing was removed
    expect(['no-service-worker', 'refused']).toContain(outcome.fromWorker);
    await expectServedFromCache(swPage, path, body);
    expect(origin.count(path)).toBe(1);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      hostileHellos: outcome.helloReplies.length,
      hostileCalls: outcome.errors.length + 1,
      refusedOrDropped: outcome.helloReplies.length + outcome.errors.length + 1,
      fromDedicatedWorker: outcome.fromWorker,
    });
  });

  test('garbage and forged messages on the cache channels neither crash the worker nor cost an entry', async ({
    swContext,
    origin,
  }, testInfo) => {
    // The demo app subscribes through the client API and logs each event it gets.
    const demo = await openDemo(swContext, origin.url);
    const path = '/api/echo?channel=1';
    const body = await storeEntry(demo, path);
    const primary = origin.url + path;
    await expect(logLines(demo, 'stored')).toHaveCount(1);
    const posted = await demo.evaluate(
      ({ primary }) => {
        const garbage: unknown[] = [
          null,
          42,
          'evicted',
          [],
          {},
          { type: 'evicted' },
          { type: 'evicted', keys: primary, source: 'x', time: 1 },
          { type: 'evicted', keys: [{ primary }], source: 'x', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary: 7 }], source: 'x', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary }], source: '', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary }], source: 'x', time: 'now' },
          { type: 'drop-table', keys: [], source: 'x', time: 1 },
          { type: 'cleared', keys: [], source: 'x', time: Number.NaN },
          { type: 'lock-released', key: 'x'.repeat(10_000), status: 'Done' },
          { type: 'lock-released', key: '', status: 'Done' },
          { type: 'lock-released', key: 'abc', status: 'Whatever' },
          { bodyId: '', seq: -1 },
          { bodyId: 'x', seq: Number.MAX_VALUE, done: 'yes' },
          new Uint8Array(1024),
        ];
        let count = 0;
        for (const name of ['events', 'lock', 'writes']) {
          const channel = new BroadcastChannel(`sw-http-cache:${name}`);
          for (const message of garbage) {
            channel.postMessage(message);
            count++;
          }
          channel.close();
        }
        // Well-formed forgeries: the worker believes them (any same-origin script may post on
        // the channel), which may only drop its memory copy; the entry stays in IndexedDB.
        const events = new BroadcastChannel('sw-http-cache:events');
        for (const type of ['evicted', 'purged', 'stored', 'updated']) {
          events.postMessage({
            type,
            keys: [{ namespace: '', primary }],
            source: 'forged',
            time: 1,
          });
          count++;
        }
        events.close();
        const lock = new BroadcastChannel('sw-http-cache:lock');
        lock.postMessage({ type: 'lock-released', key: '0'.repeat(32), status: 'Done' });
        lock.close();
        return count + 1;
      },
      { primary },
    );
    // The subscribed page got exactly the four well-formed events, none of the malformed ones.
    await expect(logLines(demo, 'evicted')).toHaveCount(1);
    await expect(logLines(demo, 'purged')).toHaveCount(1);
    await expect(logLines(demo, 'stored')).toHaveCount(2);
    await expect(logLines(demo, 'updated')).toHaveCount(1);
    await expect(logLines(demo, 'cleared')).toHaveCount(0); // its time was NaN
    await expectServedFromCache(demo, path, body);
    expect(origin.count(path)).toBe(1);
    await expectNoWorkerFaults(demo);
    report(testInfo, { messagesPosted: posted, entriesLost: 0, malformedDelivered: 0 });
  });
});
