/**
 * What the cache stored is durable: it survives a page reload (same worker, memory hit) and a
 * worker restart (fresh worker, empty memory: the hit comes from IndexedDB and refills memory).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { expectHitFrom } from './helpers/expect-hit.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { skipUnlessWorkersCanStop, stopServiceWorkers } from './helpers/stop-service-workers.ts';
import { readCacheDb } from './helpers/cache-db.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { ReusableProfile } from './helpers/profile-browser.ts';

/** Fetches `path`, expecting it stored whole, and waits until IndexedDB holds it complete. */
async function storeDurably(page: Page, path: string, sha256: string): Promise<void> {
  const miss = await pageFetch(page, path, { as: 'sha256' });
  expect(parseCacheStatus(miss.headers['cache-status']).stored).toBe(true);
  expect(miss.sha256).toBe(sha256);
  // Complete in IndexedDB, not only in the worker's memory.
  await expect
    .poll(async () => (await readCacheDb(page)).metas.filter((m) => m.complete === 1).length)
    .toBe(1);
}

test('entries survive a reload and a worker restart; the first hit after the restart reads IndexedDB', async ({
  swPage,
  origin,
  browserName,
}) => {
  skipUnlessWorkersCanStop(browserName);
  // Two chunks of 64 KiB and a bit: a multi-chunk read from IndexedDB, not the one-chunk path.
  const size = 150_000;
  const path = `/api/resource?cc=max-age%3D600&size=${size}&t=persist`;
  const sha256 = expectedSha256(path, size);

  await storeDurably(swPage, path, sha256);

  await swPage.reload();
  await swPage.evaluate(() => window.swReady);
  await expectHitFrom(swPage, path, sha256, 'composition.memory');

  await stopServiceWorkers(swPage);
  const afterRestart = await expectHitFrom(swPage, path, sha256, 'composition.idb');
  expect(afterRestart.bodySize).toBe(size);

  // The IndexedDB hit was read in full, so it refilled memory: the next hit is served there.
  await expectHitFrom(swPage, path, sha256, 'composition.memory');

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
      // Closing the browser must not race the write: storeDurably waits for IndexedDB.
      await storeDurably(page, path, sha256);
    } finally {
      await first.close();
    }

    const second = await profile.launch();
    try {
      const page = await openControlledPage(second, origin.url);
      const hit = await expectHitFrom(page, path, sha256, 'composition.idb');
      expect(hit.bodySize).toBe(size);
    } finally {
      await second.close();
    }
    expect(origin.count(path)).toBe(1);
  } finally {
    await profile.remove();
  }
});
