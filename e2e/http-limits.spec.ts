/**
 * What the worker will not store, and what it remembers about it: the cacheability predictor
 * (pingora's `CacheablePredictor`) sends a URL that came back uncacheable straight to the
 * network next time, without a lookup or the cache lock.
 *
 * Bodies over `maxBodySize` are not tested here: the demo worker keeps the 50 MiB default and
 * its script URL (demo/sw.ts) has no `maxBodySize` option, and pushing 50 MiB through a browser
 * twice per test on a shared 2-core machine is not practical.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';

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
