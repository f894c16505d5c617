/**
 * The first vertical slice through the real worker in real browsers: the page is controlled on
 * first load, a fresh response is stored and then served as a hit, `no-store` never is, and a
 * stale entry goes back to the origin.
 */
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectNeverCached } from './helpers/never-cached.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('the worker controls the page on its first load', async ({ swPage, origin }) => {
  const controller = await swPage.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  expect(controller).toBe(`${origin.url}/sw.js`);
  expect(origin.count('/sw.js')).toBeGreaterThanOrEqual(1);

  // And it handles /api/ requests: its Cache-Status member comes first.
  const response = await pageFetch(swPage, '/api/resource?cc=no-store');
  expect(parseCacheStatus(response.headers['cache-status']).cache).toBe('sw-http-cache');
});

test('a fresh response is a miss, then a hit without going to the origin', async ({
  swPage,
  origin,
}) => {
  const path = '/api/resource?cc=max-age%3D60';

  const miss = await pageFetch(swPage, path);
  expect(miss.status).toBe(200);
  expect(miss.bodyText).toBe(`origin response #1 for ${path}`);
  expect(parseCacheStatus(miss.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'uri-miss',
    stored: true,
  });

  const hit = await pageFetch(swPage, path);
  expect(hit.status).toBe(200);
  expect(hit.bodyText).toBe(miss.bodyText);
  const status = parseCacheStatus(hit.headers['cache-status']);
  expect(status).toMatchObject({ hit: true, fwd: undefined });
  expect(status.ttl).toBeGreaterThan(0);
  expect(status.ttl).toBeLessThanOrEqual(60);
  // Age and ttl describe the same entry: age + ttl = max-age (give or take a second's rounding).
  expect(hit.headers['age']).toMatch(/^\d+$/);
  expect(Math.abs(Number(hit.headers['age']) + (status.ttl ?? 0) - 60)).toBeLessThanOrEqual(1);

  expect(origin.count(path)).toBe(1);
});

test('a no-store response is never served from the cache', async ({ swPage, origin }) => {
  const path = '/api/resource?cc=no-store';
  await expectNeverCached(swPage, origin, path);
});

test('a stale entry is revalidated with the origin', async ({ swPage, origin }) => {
  // max-age=0 makes it stale at once; the ETag makes it worth storing for revalidation.
  const path = '/api/resource?cc=max-age%3D0&etag=v1';

  const first = await pageFetch(swPage, path);
  expect(parseCacheStatus(first.headers['cache-status'])).toMatchObject({
    hit: false,
    stored: true,
  });

  const second = await pageFetch(swPage, path);
  expect(origin.count(path)).toBe(2);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
  // The origin said 304, so the page gets the stored 200 and its body.
  expect(second.status).toBe(200);
  expect(second.bodyText).toBe(first.bodyText);
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'stale',
    fwdStatus: 304,
  });
});
