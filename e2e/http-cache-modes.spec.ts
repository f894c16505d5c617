/**
 * The page's request cache modes (Fetch standard, "HTTP-network-or-cache fetch") and request
 * directives (RFC 9111 §5.2.1), as the worker honours them.
 *
 * What reaches the origin: the worker always fetches upstream with `cache: 'no-store'` so the
 * browser's own HTTP cache never sits behind ours. Per the Fetch standard the browser then
 * appends `Pragma: no-cache` and `Cache-Control: no-cache` to each upstream request that lacks
 * that header; both browsers do. A page header that is present (`Cache-Control: max-age=0`) is
 * kept as the page sent it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch, type PageFetchResult } from './helpers/page-fetch.ts';
import { pageRequest } from './helpers/page-request.ts';
import type { LoggedRequest, Origin } from './server/origin.mjs';

const FRESH = apiUrl('/api/resource', { cc: 'max-age=60', etag: 'v1' });
const STALE = apiUrl('/api/resource', { cc: 'max-age=0', etag: 'v1' });

/**
 * Fetches `path` again with the page's request `headers`: a 304 revalidation of `stored` with its
 * ETag. Returns the headers the revalidation reached the origin with.
 */
async function expectRevalidated(
  swPage: Page,
  origin: Origin,
  path: string,
  stored: PageFetchResult,
  headers: Record<string, string>,
): Promise<LoggedRequest['headers'] | undefined> {
  const revalidated = await pageFetch(swPage, path, { init: { headers } });
  expect(revalidated.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(revalidated.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
  const upstream = origin.requests(path)[1];
  expect(upstream?.headers['if-none-match']).toBe('"v1"');
  return upstream?.headers;
}

test('the browser marks every upstream request no-cache, as the Fetch standard says for no-store', async ({
  swPage,
  origin,
}) => {
  await pageFetch(swPage, FRESH);
  const [upstream] = origin.requests(FRESH);
  expect(upstream?.headers['cache-control']).toBe('no-cache');
  expect(upstream?.headers['pragma']).toBe('no-cache');
});

test("cache: 'no-store' goes to the origin and stores nothing", async ({ swPage, origin }) => {
  const first = await pageRequest(swPage, FRESH, { cache: 'no-store' });
  expect(parseCacheStatus(first.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'request',
    stored: false,
  });

  // Nothing was stored: a default request is a plain miss.
  const next = await pageFetch(swPage, FRESH);
  expect(parseCacheStatus(next.headers['cache-status'])).toMatchObject({ fwd: 'uri-miss' });
  expect(origin.count(FRESH)).toBe(2);
});

test("cache: 'no-store' goes to the origin even when a fresh entry is stored", async ({
  swPage,
  origin,
}) => {
  await pageFetch(swPage, FRESH);
  const bypassed = await pageRequest(swPage, FRESH, { cache: 'no-store' });
  expect(bypassed.bodyText).toBe(`origin response #2 for ${FRESH}`);
  // The origin got an unconditional request: the page asked for no cache at all.
  expect(origin.requests(FRESH)[1]?.headers['if-none-match']).toBeUndefined();

  // And the stored entry was left alone.
  const hit = await pageFetch(swPage, FRESH);
  expect(hit.bodyText).toBe(`origin response #1 for ${FRESH}`);
});

test("cache: 'reload' goes to the origin and stores the answer", async ({ swPage, origin }) => {
  await pageFetch(swPage, FRESH);

  const reloaded = await pageRequest(swPage, FRESH, { cache: 'reload' });
  expect(reloaded.bodyText).toBe(`origin response #2 for ${FRESH}`);
  expect(parseCacheStatus(reloaded.headers['cache-status'])).toMatchObject({
    fwd: 'request',
    stored: true,
  });
  expect(origin.requests(FRESH)[1]?.headers['if-none-match']).toBeUndefined();

  const hit = await pageFetch(swPage, FRESH);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.bodyText).toBe(reloaded.bodyText);
  expect(origin.count(FRESH)).toBe(2);
});

test("cache: 'no-cache' revalidates a fresh entry with the origin", async ({ swPage, origin }) => {
  const stored = await pageFetch(swPage, FRESH);

  const revalidated = await pageRequest(swPage, FRESH, { cache: 'no-cache' });
  expect(origin.count(FRESH)).toBe(2);
  expect(origin.requests(FRESH)[1]?.headers['if-none-match']).toBe('"v1"');
  // What a browser sends on reload (RFC 9111 §5.2.1.1), not the no-cache of a no-store fetch.
  expect(origin.requests(FRESH)[1]?.headers['cache-control']).toBe('max-age=0');
  expect(revalidated.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(revalidated.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
});

test("cache: 'no-cache' (a reload) reuses a fresh immutable entry; a stale one is revalidated", async ({
  swPage,
  origin,
}) => {
  const immutable = apiUrl('/api/resource', { cc: 'max-age=60, immutable', etag: 'v1', id: 'im' });
  const stored = await pageFetch(swPage, immutable);
  const reloaded = await pageRequest(swPage, immutable, { cache: 'no-cache' });
  expect(reloaded.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(reloaded.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(immutable)).toBe(1);

  const staleImmutable = apiUrl('/api/resource', {
    cc: 'max-age=0, immutable',
    etag: 'v1',
    id: 'im0',
  });
  await pageFetch(swPage, staleImmutable);
  const revalidated = await pageRequest(swPage, staleImmutable, { cache: 'no-cache' });
  expect(parseCacheStatus(revalidated.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
  expect(origin.count(staleImmutable)).toBe(2);
  expect(origin.requests(staleImmutable)[1]?.headers['if-none-match']).toBe('"v1"');
  expect(origin.requests(staleImmutable)[1]?.headers['cache-control']).toBe('max-age=0');
});

test("cache: 'force-cache' serves a stale entry without the origin", async ({ swPage, origin }) => {
  const stored = await pageFetch(swPage, STALE);

  const forced = await pageRequest(swPage, STALE, { cache: 'force-cache' });
  expect(forced.bodyText).toBe(stored.bodyText);
  const status = parseCacheStatus(forced.headers['cache-status']);
  expect(status.hit).toBe(true);
  expect(status.ttl).toBeLessThanOrEqual(0);
  expect(origin.count(STALE)).toBe(1);
});

test("cache: 'only-if-cached' gets a 504 on a miss and never reaches the origin", async ({
  swPage,
  origin,
}) => {
  const missing = await pageRequest(swPage, FRESH, {
    cache: 'only-if-cached',
    mode: 'same-origin',
  });
  expect(missing.status).toBe(504);
  expect(parseCacheStatus(missing.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'uri-miss',
    detail: 'only-if-cached',
  });
  expect(origin.count(FRESH)).toBe(0);
});

test("cache: 'only-if-cached' serves what is stored, fresh or stale, without the origin", async ({
  swPage,
  origin,
}) => {
  const fresh = await pageFetch(swPage, FRESH);
  const stale = await pageFetch(swPage, STALE);
  const init = { cache: 'only-if-cached', mode: 'same-origin' } as const;

  const freshHit = await pageRequest(swPage, FRESH, init);
  const staleHit = await pageRequest(swPage, STALE, init);

  expect(freshHit.bodyText).toBe(fresh.bodyText);
  expect(staleHit.bodyText).toBe(stale.bodyText);
  for (const hit of [freshHit, staleHit]) {
    expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
  }
  expect(origin.count(FRESH)).toBe(1);
  expect(origin.count(STALE)).toBe(1);
});

test('a request Cache-Control: max-age=N revalidates an entry older than N seconds', async ({
  swPage,
  origin,
}) => {
  // The origin says the response is already 5 s old, so the ages compared are whole seconds apart.
  const path = apiUrl('/api/resource', { cc: 'max-age=60', etag: 'v1', age: 5 });
  const stored = await pageFetch(swPage, path);

  const young = await pageFetch(swPage, path, {
    init: { headers: { 'cache-control': 'max-age=30' } },
  });
  expect(parseCacheStatus(young.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(path)).toBe(1);

  const upstream = await expectRevalidated(swPage, origin, path, stored, {
    'cache-control': 'max-age=2',
  });
  // The page's own directive travels on; the browser only adds the Pragma it lacked.
  expect(upstream?.['cache-control']).toBe('max-age=2');
  expect(upstream?.['pragma']).toBe('no-cache');
});

// RFC 9111 §5.2.1.1 against the unrounded §4.2.3 age: a reload (`max-age=0`) right after a
// store still revalidates.
test('a request Cache-Control: max-age=0 revalidates a fresh entry', async ({ swPage, origin }) => {
  const stored = await pageFetch(swPage, FRESH);

  const upstream = await expectRevalidated(swPage, origin, FRESH, stored, {
    'cache-control': 'max-age=0',
  });
  // The page's own directive travels on; the browser only adds the Pragma it lacked.
  expect(upstream?.['cache-control']).toBe('max-age=0');
  expect(upstream?.['pragma']).toBe('no-cache');
});

test('a request Pragma: no-cache (and no Cache-Control) revalidates a fresh entry', async ({
  swPage,
  origin,
}) => {
  const stored = await pageFetch(swPage, FRESH);

  const upstream = await expectRevalidated(swPage, origin, FRESH, stored, { pragma: 'no-cache' });
  expect(upstream?.['pragma']).toBe('no-cache');
  expect(upstream?.['cache-control']).toBe('no-cache');
});
