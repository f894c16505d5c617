/**
 * What the cache stored is durable: it survives a page reload (same worker, memory hit) and a
 * worker restart (fresh worker, empty memory: the hit comes from IndexedDB and refills memory).
 */
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { stopServiceWorkers } from './helpers/stop-service-workers.ts';
import { readCacheDb } from './helpers/cache-db.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { ReusableProfile } from './helpers/profile-browser.ts';

test('entries survive a reload and a worker restart; the first hit after the restart reads IndexedDB', async ({
  swPage,
  origin,
  browserName,
}) => {
  test.skip(browserName !== 'chromium', 'stopping a service worker needs the DevTools protocol');
  // Two chunks of 64 KiB and a bit: a multi-chunk read from IndexedDB, not the one-chunk path.
  const size = 150_000;
  const path = `/api/resource?cc=max-age%3D600&size=${size}&t=persist`;
  const sha256 = expectedSha256(path, size);

  const miss = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(miss.headers['cache-status']).stored).toBe(true);
  expect(miss.sha256).toBe(sha256);
  // The stored body is complete in IndexedDB, not only in the worker's memory.
  await expect
    .poll(async () => (await readCacheDb(swPage)).metas.filter((m) => m.complete === 1).length)
    .toBe(1);

  await swPage.reload();
  await swPage.evaluate(() => window.swReady);
  const afterReload = await pageFetch(swPage, path, { as: 'sha256' });
  const reloadStatus = parseCacheStatus(afterReload.headers['cache-status']);
  expect(reloadStatus.hit).toBe(true);
  expect(reloadStatus.detail).toBe('composition.memory');
  expect(afterReload.sha256).toBe(sha256);

  await stopServiceWorkers(swPage);
  const afterRestart = await pageFetch(swPage, path, { as: 'sha256' });
  const restartStatus = parseCacheStatus(afterRestart.headers['cache-status']);
  expect(restartStatus.hit).toBe(true);
  expect(restartStatus.detail).toBe('composition.idb');
  expect(afterRestart.bodySize).toBe(size);
  expect(afterRestart.sha256).toBe(sha256);

  // The IndexedDB hit was read in full, so it refilled memory: the next hit is served there.
  const refilled = await pageFetch(swPage, path, { as: 'sha256' });
  const refilledStatus = parseCacheStatus(refilled.headers['cache-status']);
  expect(refilledStatus.hit).toBe(true);
  expect(refilledStatus.detail).toBe('composition.memory');
  expect(refilled.sha256).toBe(sha256);

  expect(origin.count(path)).toBe(1);
});

test('entries survive a browser restart on the same profile (every browser)', async ({
  origin,
  browserName,
  playwright,
  launchOptions,
  channel,
  headless,
}) => {
  test.skip(
    browserName === 'webkit',
    'MiniBrowser automation keeps no profile: differences.webkit.spec.ts pins the empty restart',
  );
  test.setTimeout(60_000); // two browser launches; Firefox alone takes ~20 s here
  const profile = await ReusableProfile.create({
    browserType: playwright[browserName],
    launchOptions,
    channel,
    headless,
  });
  const size = 70_000;
  const path = `/api/resource?cc=max-age%3D600&size=${size}&t=relaunch`;
  const sha256 = expectedSha256(path, size);
  try {
    const first = await profile.launch();
    try {
      const page = await openControlledPage(first, origin.url);
      const miss = await pageFetch(page, path, { as: 'sha256' });
      expect(parseCacheStatus(miss.headers['cache-status']).stored).toBe(true);
      expect(miss.sha256).toBe(sha256);
      // Closing the browser must not race the write: wait until IndexedDB holds the entry.
      await expect
        .poll(async () => (await readCacheDb(page)).metas.filter((m) => m.complete === 1).length)
        .toBe(1);
    } finally {
      await first.close();
    }

    const second = await profile.launch();
    try {
      const page = await openControlledPage(second, origin.url);
      const hit = await pageFetch(page, path, { as: 'sha256' });
      const status = parseCacheStatus(hit.headers['cache-status']);
      expect(status.hit).toBe(true);
      expect(status.detail).toBe('composition.idb');
      expect(hit.bodySize).toBe(size);
      expect(hit.sha256).toBe(sha256);
    } finally {
      await second.close();
    }
    expect(origin.count(path)).toBe(1);
  } finally {
    await profile.remove();
  }
});
