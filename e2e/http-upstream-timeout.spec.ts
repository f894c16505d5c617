/**
 * `upstreamTimeout`: an origin that accepts the connection and never answers does not hang the
 * page. Without a limit the page would wait as long as the browser keeps the connection, since
 * no browser passes a page's abort on to the worker's own fetch (docs/RELIABILITY.md).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import {
  expectNoWorkerFaults,
  expectNoWorkerFaultsButEngineNetworkErrors,
} from './helpers/worker-faults.ts';

test('an origin that never answers: the page gets a network error after upstreamTimeout', async ({
  swPage,
  origin,
  browserName,
}) => {
  await useWorkerOptions(swPage, { upstreamTimeout: 1000 });
  const path = apiUrl('/api/hang', { id: 'never' });
  // The network error's TypeError, in each engine's words (Chromium, Firefox, WebKit).
  await expect(pageFetch(swPage, path)).rejects.toThrow(
    /Failed to fetch|NetworkError|Response served by service worker is an error/,
  );
  expect(origin.count(path)).toBe(1);
  // The worker is fine and answers the next request.
  const next = await pageFetch(swPage, apiUrl('/api/resource', { cc: 'max-age=60', body: 'ok' }));
  expect(next.bodyText).toBe('ok');
  await expectNoWorkerFaultsButEngineNetworkErrors(swPage, browserName, 1);
});

for (const { cc, detail } of [
  { cc: 'max-age=0, stale-if-error=600', detail: 'stale-if-error' },
  // Without stale-if-error: disconnected operation (RFC 9111 §4.2.4).
  { cc: 'max-age=0', detail: 'origin-unreachable' },
]) {
  test(`a revalidation the origin never answers (${cc}): the stored entry is served, ${detail}`, async ({
    swPage,
    origin,
  }) => {
    await useWorkerOptions(swPage, { upstreamTimeout: 1000 });
    const path = apiUrl('/api/faulty', {
      plan: 'ok,hang',
      id: `stale-hang-${detail}`,
      size: 2048,
      cc,
      etag: 'h1',
    });
    const stored = await pageFetch(swPage, path, { as: 'sha256' });
    expect(stored.status).toBe(200);
    const stale = await pageFetch(swPage, path, { as: 'sha256' });
    expect(stale.sha256).toBe(stored.sha256);
    const status = parseCacheStatus(stale.headers['cache-status']);
    expect(status.fwd).toBe('stale');
    expect(status.detail).toBe(detail);
    expect(origin.count(path)).toBe(2);
    await expectNoWorkerFaults(swPage);
  });
}
