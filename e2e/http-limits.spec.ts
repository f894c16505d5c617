/**
 * What the worker will not store, and what it remembers about it: the cacheability predictor
 * (pingora's `CacheablePredictor`) sends a URL that came back uncacheable straight to the
 * network next time, without a lookup or the cache lock.
 * Bodies over `maxBodySize` reach the page whole but are not stored (`ResponseTooLarge`); the
 * worker is configured through its script URL (demo/sw.ts).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { expectedSha256 } from './helpers/expected-body.ts';

test('a URL that came back uncacheable bypasses the cache the next time', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'no-store' });

  const first = await pageFetch(swPage, path);
  expect(parseCacheStatus(first.headers['cache-status'])).toMatchObject({
    fwd: 'uri-miss',
    fwdStatus: 200,
    stored: false,
  });

  const second = await pageFetch(swPage, path);
  expect(second.bodyText).toBe(`origin response #2 for ${path}`);
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'bypass',
    fwdStatus: 200,
    detail: 'predicted-uncacheable',
    stored: false,
  });
  expect(origin.count(path)).toBe(2);
});

test('the prediction is per URL: a cacheable neighbour is still stored', async ({
  swPage,
  origin,
}) => {
  const uncacheable = apiUrl('/api/resource', { cc: 'no-store' });
  const cacheable = apiUrl('/api/resource', { cc: 'max-age=60' });
  await pageFetch(swPage, uncacheable);

  await pageFetch(swPage, cacheable);
  const hit = await pageFetch(swPage, cacheable);

  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(cacheable)).toBe(1);
});

test('a transient failure is not remembered as uncacheable', async ({ swPage, origin }) => {
  // An unreachable origin says nothing about the next response (pingora's transient reasons).
  const path = sequenceUrl([{ cc: 'max-age=60' }]);
  origin.setOffline(true);
  await expect(pageFetch(swPage, path)).rejects.toThrow();
  origin.setOffline(false);

  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({
    fwd: 'uri-miss',
    stored: true,
  });
});

test('a body over maxBodySize reaches the page whole, is not stored, and is bypassed next time', async ({
  swPage,
  origin,
}) => {
  await useWorkerOptions(swPage, { maxBodySize: 1_000 });
  const big = apiUrl('/api/resource', { cc: 'max-age=600', size: '5000' });
  const small = apiUrl('/api/resource', { cc: 'max-age=600', size: '500' });

  const first = await pageFetch(swPage, big, { as: 'sha256' });
  expect(first.sha256).toBe(expectedSha256(big, 5_000));
  const second = await pageFetch(swPage, big, { as: 'sha256' });
  expect(second.sha256).toBe(expectedSha256(big, 5_000));
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    fwd: 'bypass',
    detail: 'predicted-uncacheable',
  });
  expect(origin.count(big)).toBe(2);

  await pageFetch(swPage, small);
  const hit = await pageFetch(swPage, small, { as: 'sha256' });
  expect(hit.sha256).toBe(expectedSha256(small, 500));
  expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
  expect(origin.count(small)).toBe(1);
});
