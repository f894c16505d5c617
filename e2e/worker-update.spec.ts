/**
 * A worker update: a new script replaces the worker that stored the entries (skipWaiting and
 * clients.claim: it takes over the open page at once). The new worker starts with an empty
 * memory layer, so what it serves comes from IndexedDB: this is the restart that every browser
 * lets a test cause, WebKit and Firefox included, without the DevTools protocol.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { openControlClient } from './helpers/control-client.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('the new worker serves what the old one stored, from IndexedDB, and the page API follows it', async ({
  swPage,
  origin,
}) => {
  // A body of several IndexedDB chunks (256 KiB each) and a one-chunk body.
  const size = 600_000;
  const large = apiUrl('/api/resource', { cc: 'max-age=600', size, id: 'large' });
  const small = apiUrl('/api/resource', { cc: 'max-age=600', id: 'small' });
  await openControlClient(swPage);
  const oldWorker = await swPage.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

  const miss = await pageFetch(swPage, large, { as: 'sha256' });
  expect(parseCacheStatus(miss.headers['cache-status']).stored).toBe(true);
  expect(miss.sha256).toBe(expectedSha256(large, size));
  const smallMiss = await pageFetch(swPage, small);
  // Both bodies are complete in IndexedDB before the old worker goes.
  await expect
    .poll(() => swPage.evaluate(() => window.httpCache!.stats().then((stats) => stats.entries)))
    .toBe(2);

  const newWorker = await useWorkerOptions(swPage, { maxEntries: 500 });
  expect(newWorker).not.toBe(oldWorker);

  const hit = await pageFetch(swPage, large, { as: 'sha256' });
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({
    hit: true,
    detail: 'composition.idb',
  });
  expect(hit.bodySize).toBe(size);
  expect(hit.sha256).toBe(miss.sha256);
  const smallHit = await pageFetch(swPage, small);
  expect(parseCacheStatus(smallHit.headers['cache-status'])).toMatchObject({
    hit: true,
    detail: 'composition.idb',
  });
  expect(smallHit.bodyText).toBe(smallMiss.bodyText);
  expect(origin.count(large)).toBe(1);
  expect(origin.count(small)).toBe(1);

  // The client opened with the old worker reconnects to the new one (its budget says which).
  const stats = await swPage.evaluate(() => window.httpCache!.stats());
  expect(stats.budget.maxEntries).toBe(500);
  expect(stats).toMatchObject({ entries: 2, hits: 2, misses: 0 });
});
