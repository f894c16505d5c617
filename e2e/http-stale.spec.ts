/**
 * Serving stale (RFC 5861, RFC 9111 §4.2.4): `stale-if-error` stands in for an unreachable or
 * failing origin inside its window and only there; `stale-while-revalidate` serves at once and
 * refreshes in the background; a cached page still opens offline.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('an unreachable origin inside the stale-if-error window gets the stale entry', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=0, stale-if-error=60' });
  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });

  origin.setOffline(true);
  const stale = await pageFetch(swPage, path);

  expect(stale.status).toBe(200);
  expect(stale.bodyText).toBe(stored.bodyText);
  const status = parseCacheStatus(stale.headers['cache-status']);
  expect(status).toMatchObject({ fwd: 'stale', detail: 'stale-if-error' });
  expect(status.fwdStatus).toBeUndefined(); // no response came back
  expect(status.ttl).toBeLessThanOrEqual(0);
  // The worker did try the origin. The browser's network stack retries a GET whose connection
  // was reset before answering (Chromium 3 times, Firefox 10), so there are several attempts.
  expect(origin.count(path)).toBeGreaterThanOrEqual(2);
});

test('an unreachable origin after the stale-if-error window makes the page fetch reject without disconnected operation', async ({
  swPage,
  origin,
}) => {
  await useWorkerOptions(swPage, { offlineMaxStale: 0 });
  const path = apiUrl('/api/resource', { cc: 'max-age=0, stale-if-error=1' });
  await pageFetch(swPage, path);
  // The window closes one second after the entry went stale (at once, max-age=0).
  await swPage.waitForTimeout(2_100);

  origin.setOffline(true);
  await expect(pageFetch(swPage, path)).rejects.toThrow();
  // Tried (the browser retries a reset connection a few times), and nothing stood in.
  expect(origin.count(path)).toBeGreaterThanOrEqual(2);
});

test('a 5xx inside the stale-if-error window gets the stale entry', async ({ swPage, origin }) => {
  const path = sequenceUrl([{ cc: 'max-age=0, stale-if-error=60' }, { status: 503 }]);
  const stored = await pageFetch(swPage, path);

  const stale = await pageFetch(swPage, path);

  expect(origin.count(path)).toBe(2);
  expect(stale.status).toBe(200);
  expect(stale.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(stale.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 503,
    detail: 'stale-if-error',
  });
});

test('a 5xx without a stale-if-error window reaches the page', async ({ swPage, origin }) => {
  const path = sequenceUrl([{ cc: 'max-age=0', etag: 'v1' }, { status: 503 }]);
  await pageFetch(swPage, path);

  const failed = await pageFetch(swPage, path);

  expect(origin.count(path)).toBe(2);
  expect(failed.status).toBe(503);
  expect(failed.bodyText).toBe(`origin response #2 for ${path}`);
  expect(parseCacheStatus(failed.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 503,
  });
});

test('stale-while-revalidate serves the stale entry at once and refreshes it in the background', async ({
  swPage,
  origin,
}) => {
  const path = sequenceUrl([
    { cc: 'max-age=0, stale-while-revalidate=60', etag: 'v1', h: 'x-version:first' },
    { cc: 'max-age=60', etag: 'v1', h: 'x-version:second' },
  ]);
  const stored = await pageFetch(swPage, path);

  const stale = await pageFetch(swPage, path);
  expect(stale.bodyText).toBe(stored.bodyText);
  expect(stale.headers['x-version']).toBe('first');
  const status = parseCacheStatus(stale.headers['cache-status']);
  expect(status.hit).toBe(true);
  expect(status.ttl).toBeLessThanOrEqual(0);

  // The background revalidation is conditional and its 304 freshens the entry.
  await origin.waitFor(path, 2);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
  await expect
    .poll(async () => (await pageFetch(swPage, path)).headers['x-version'])
    .toBe('second');
  const fresh = await pageFetch(swPage, path);
  expect(parseCacheStatus(fresh.headers['cache-status'])).toMatchObject({ hit: true });
  expect(parseCacheStatus(fresh.headers['cache-status']).ttl).toBeGreaterThan(0);
  expect(fresh.bodyText).toBe(stored.bodyText);
  expect(origin.count(path)).toBe(2);
});

test('a cached page opens while the origin is offline', async ({ swPage, origin, browserName }) => {
  test.skip(
    browserName === 'webkit',
    'WebDriver gives no navigation response (status, headers); demo-offline covers WebKit',
  );
  // The demo worker's routes cover /api/ only, so the page is an /api/resource answer as HTML.
  const path = apiUrl('/api/resource', {
    cc: 'max-age=60',
    ctype: 'text/html; charset=utf-8',
    body: '<!doctype html><title>cached page</title><p id="text">served from the cache</p>',
  });
  const blank = swPage.url();
  const online = await swPage.goto(`${origin.url}${path}`);
  expect(online?.status()).toBe(200);
  expect(parseCacheStatus(await online?.headerValue('cache-status'))).toMatchObject({
    stored: true,
  });
  await swPage.goto(blank);

  origin.setOffline(true);
  const offline = await swPage.goto(`${origin.url}${path}`);

  expect(offline?.status()).toBe(200);
  await expect(swPage.locator('#text')).toHaveText('served from the cache');
  expect(parseCacheStatus(await offline?.headerValue('cache-status'))).toMatchObject({
    hit: true,
  });
  expect(origin.count(path)).toBe(1);
});
