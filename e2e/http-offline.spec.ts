/**
 * Disconnected operation (RFC 9111 §4.2.4): when the origin cannot be reached, a stored stale
 * response answers instead of a network error, without any `stale-if-error` from the origin,
 * unless its directives forbid serving it stale; `offlineMaxStale` bounds it or switches it off.
 * The origin that never answers (`upstreamTimeout`) is in http-upstream-timeout.spec.ts.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('an unreachable origin: the stale entry is served, and Cache-Status says why', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=0', etag: 'v1', id: 'offline-stale' });
  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });

  origin.setOffline(true);
  const offline = await pageFetch(swPage, path);

  expect(offline.status).toBe(200);
  expect(offline.bodyText).toBe(stored.bodyText);
  const status = parseCacheStatus(offline.headers['cache-status']);
  expect(status).toMatchObject({ fwd: 'stale', detail: 'origin-unreachable' });
  expect(status.fwdStatus).toBeUndefined();
  // The worker did try the origin, conditionally (the browser retries a reset connection).
  const attempts = origin.requests(path);
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  expect(attempts.at(-1)?.headers['if-none-match']).toBe('"v1"');
});

test('must-revalidate forbids it: the page gets the network error', async ({ swPage, origin }) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=0, must-revalidate', etag: 'v1', id: 'mr' });
  await pageFetch(swPage, path);
  origin.setOffline(true);
  await expect(pageFetch(swPage, path)).rejects.toThrow();
  expect(origin.count(path)).toBeGreaterThanOrEqual(2);
});

test('offlineMaxStale bounds how stale: beyond it the page gets the network error', async ({
  swPage,
  origin,
}) => {
  await useWorkerOptions(swPage, { offlineMaxStale: 1 });
  const path = apiUrl('/api/resource', { cc: 'max-age=0', etag: 'v1', id: 'bounded' });
  await pageFetch(swPage, path);
  origin.setOffline(true);
  await swPage.waitForTimeout(2_100);
  await expect(pageFetch(swPage, path)).rejects.toThrow();
});
