/**
 * The browser stops idle service workers whenever it likes; what the cache stored must survive
 * that. Chromium only: stopping a worker on demand needs the DevTools protocol.
 */
import { createHash } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { skipUnlessWorkersCanStop, stopServiceWorkers } from './helpers/stop-service-workers.ts';
import { deterministicBody } from './server/origin.mjs';

test('a stored response is still a hit after the worker is stopped', async ({
  swPage,
  origin,
  browserName,
}) => {
  skipUnlessWorkersCanStop(browserName);
  const path = '/api/resource?cc=max-age%3D60&size=50000';
  const originHash = createHash('sha256').update(deterministicBody(path, 50_000)).digest('hex');

  const miss = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(miss.headers['cache-status']).stored).toBe(true);
  expect(miss.sha256).toBe(originHash);
  // A hit before the stop shows the entry is complete, not just in flight.
  expect(parseCacheStatus((await pageFetch(swPage, path)).headers['cache-status']).hit).toBe(true);

  await stopServiceWorkers(swPage);

  const afterRestart = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(afterRestart.headers['cache-status']).hit).toBe(true);
  expect(afterRestart.sha256).toBe(originHash);
  expect(afterRestart.bodySize).toBe(50_000);
  expect(origin.count(path)).toBe(1);
});
