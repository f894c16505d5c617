/**
 * Invalidation (RFC 9111 §4.4): a non-error answer to an unsafe request removes the stored
 * responses for its target URI and for same-origin `Location` / `Content-Location` URIs; an
 * error answer removes nothing. `Clear-Site-Data: "cache"` (W3C Clear Site Data §3.1) on any
 * response empties the whole cache.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import type { Page } from '@playwright/test';

/**
 * Chromium removes `Clear-Site-Data` from every response before script sees it, a service
 * worker's own `fetch()` included (checked: a page no worker controls reads `null` for the header
 * the origin sent, while other headers of the same response are there). The worker cannot act on
 * a header it never receives.
 */
function skipWhereClearSiteDataIsHidden(browserName: string): void {
  test.skip(
    browserName === 'chromium',
    'Chromium hides Clear-Site-Data from scripts, so the worker never sees it',
  );
}

/** Stores `path` and checks that the next request is a hit. */
async function store(page: Page, path: string): Promise<void> {
  await pageFetch(page, path);
  const hit = await pageFetch(page, path);
  expect(parseCacheStatus(hit.headers['cache-status']).hit, `${path} is stored`).toBe(true);
}

/** Whether the next GET of `path` comes from the cache. */
async function isHit(page: Page, path: string): Promise<boolean> {
  return parseCacheStatus((await pageFetch(page, path)).headers['cache-status']).hit;
}

for (const method of ['POST', 'PUT', 'DELETE']) {
  test(`a successful ${method} invalidates the stored response for its URL`, async ({
    swPage,
    origin,
  }) => {
    const path = apiUrl('/api/resource', { cc: 'max-age=60' });
    await store(swPage, path);

    const unsafe = await pageFetch(swPage, path, { init: { method, body: 'change' } });
    expect(unsafe.status).toBe(200);
    expect(unsafe.bodyText).toBe(`${method} ${path} #2`);
    expect(parseCacheStatus(unsafe.headers['cache-status'])).toMatchObject({
      fwd: 'method',
      fwdStatus: 200,
    });

    const after = await pageFetch(swPage, path);
    expect(parseCacheStatus(after.headers['cache-status'])).toMatchObject({
      hit: false,
      fwd: 'uri-miss',
    });
    expect(after.bodyText).toBe(`origin response #3 for ${path}`);
    expect(origin.requests(path).map((request) => request.method)).toEqual(['GET', method, 'GET']);
  });
}

for (const header of ['Location', 'Content-Location']) {
  test(`a POST answered with ${header} invalidates that same-origin URL too`, async ({
    swPage,
  }) => {
    const target = apiUrl('/api/resource', { cc: 'max-age=60', body: 'the collection' });
    const named = apiUrl('/api/resource', { cc: 'max-age=60', body: 'the new item' });
    const untouched = apiUrl('/api/resource', { cc: 'max-age=60', body: 'another item' });
    const post = apiUrl('/api/mutate', { mstatus: 201, mh: `${header}:${named}` });
    for (const path of [named, untouched]) await store(swPage, path);

    const created = await pageFetch(swPage, post, { init: { method: 'POST', body: 'new' } });
    expect(created.status).toBe(201);
    expect(created.headers[header.toLowerCase()]).toBe(named);

    expect(await isHit(swPage, named)).toBe(false);
    expect(await isHit(swPage, untouched)).toBe(true);
    // The POST's own URL was never stored; asking for it now is a plain miss.
    expect(await isHit(swPage, target)).toBe(false);
  });
}

test('an error answer to an unsafe request invalidates nothing', async ({ swPage, origin }) => {
  const named = apiUrl('/api/resource', { cc: 'max-age=60', body: 'item' });
  const path = apiUrl('/api/mutate', { cc: 'max-age=60', mstatus: 404, mh: `Location:${named}` });
  for (const stored of [path, named]) await store(swPage, stored);

  const failed = await pageFetch(swPage, path, { init: { method: 'DELETE' } });
  expect(failed.status).toBe(404);
  expect(origin.requests(path).map((request) => request.method)).toEqual(['GET', 'DELETE']);

  expect(await isHit(swPage, path)).toBe(true);
  expect(await isHit(swPage, named)).toBe(true);
});

test('Clear-Site-Data: "cache" on a response empties the cache before that response is stored', async ({
  swPage,
  browserName,
}) => {
  skipWhereClearSiteDataIsHidden(browserName);
  const first = apiUrl('/api/resource', { cc: 'max-age=60', body: 'one' });
  const second = apiUrl('/api/resource', { cc: 'max-age=60', body: 'two', vary: 'Accept' });
  const clearing = apiUrl('/api/resource', { cc: 'max-age=60', h: 'Clear-Site-Data:"cache"' });
  for (const path of [first, second]) await store(swPage, path);

  const cleared = await pageFetch(swPage, clearing);
  expect(cleared.headers['clear-site-data']).toBe('"cache"');
  expect(parseCacheStatus(cleared.headers['cache-status'])).toMatchObject({ stored: true });

  expect(await isHit(swPage, first)).toBe(false);
  expect(await isHit(swPage, second)).toBe(false);
  // The clearing response itself was stored after the clear.
  expect(await isHit(swPage, clearing)).toBe(true);
});

test('Clear-Site-Data: "cache" on an unsafe request\'s answer empties the cache', async ({
  swPage,
  browserName,
}) => {
  skipWhereClearSiteDataIsHidden(browserName);
  const stored = apiUrl('/api/resource', { cc: 'max-age=60', body: 'profile' });
  const logout = apiUrl('/api/mutate', { mh: 'Clear-Site-Data:"cookies", "cache"' });
  await store(swPage, stored);

  const answer = await pageFetch(swPage, logout, { init: { method: 'POST' } });
  expect(answer.status).toBe(200);

  expect(await isHit(swPage, stored)).toBe(false);
});

test('a POST answered with explicit freshness and its own Content-Location is stored for GETs', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/mutate', { mself: '1', mh: 'Cache-Control:max-age=60', id: 'post' });
  const posted = await pageFetch(swPage, path, { init: { method: 'POST', body: 'order' } });
  expect(posted.status).toBe(200);
  expect(posted.headers['content-location']).toBe(path);
  expect(parseCacheStatus(posted.headers['cache-status'])).toMatchObject({
    fwd: 'method',
    stored: true,
  });

  // The next GET is a hit with the POST's answer (a reader follows a write still in progress).
  const got = await pageFetch(swPage, path);
  expect(parseCacheStatus(got.headers['cache-status'])).toMatchObject({ hit: true });
  expect(got.bodyText).toBe(posted.bodyText);
  expect(got.headers['x-origin-count']).toBe('1');
  expect(origin.requests(path).map((request) => request.method)).toEqual(['POST']);

  // A second POST still reaches the origin (and replaces the stored answer).
  const again = await pageFetch(swPage, path, { init: { method: 'POST', body: 'order 2' } });
  expect(again.headers['x-origin-count']).toBe('2');
  expect((await pageFetch(swPage, path)).headers['x-origin-count']).toBe('2');
  expect(origin.requests(path).map((request) => request.method)).toEqual(['POST', 'POST']);
});

test('a POST answer without its own Content-Location is not stored', async ({ swPage, origin }) => {
  const path = apiUrl('/api/mutate', { mh: 'Cache-Control:max-age=60', id: 'post-plain' });
  const posted = await pageFetch(swPage, path, { init: { method: 'POST', body: 'x' } });
  expect(parseCacheStatus(posted.headers['cache-status']).stored).toBe(false);
  const got = await pageFetch(swPage, path);
  expect(parseCacheStatus(got.headers['cache-status'])).toMatchObject({ fwd: 'uri-miss' });
  expect(origin.requests(path).map((request) => request.method)).toEqual(['POST', 'GET']);
});
