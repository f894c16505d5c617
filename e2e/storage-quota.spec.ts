/**
 * When the browser refuses to store (quota exceeded), the cache still serves every response in
 * full: the IndexedDB write is dropped and memory keeps the body for this worker. Chromium only:
 * shrinking an origin's quota needs the DevTools protocol.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { readCacheDb, storedBytes } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { expectHitFrom } from './helpers/expect-hit.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { overrideQuota, usageAndQuota } from './helpers/quota-override.ts';

// The worker registration alone uses ~73 KB of the quota, so ~27 KB are left for IndexedDB.
const QUOTA = 100_000;
const BODY_SIZE = 300_000; // each body alone is three times the quota
const COUNT = 4;

const pathOf = (i: number) => `/api/resource?cc=max-age%3D600&size=${BODY_SIZE}&q=${i}`;

/** Fetches every body once; each must be complete and correct although none can be stored. */
async function fetchAllOverQuota(page: Page): Promise<void> {
  for (let i = 0; i < COUNT; i++) {
    const result = await pageFetch(page, pathOf(i), { as: 'sha256' });
    expect(result.status).toBe(200);
    expect(result.bodySize, `body ${i} is complete`).toBe(BODY_SIZE);
    expect(result.sha256, `body ${i} is correct`).toBe(expectedSha256(pathOf(i), BODY_SIZE));
    expect(parseCacheStatus(result.headers['cache-status']).hit).toBe(false);
  }
}

test.describe('a tiny storage quota', () => {
  let restoreQuota: (() => Promise<void>) | undefined;
  test.beforeEach(async ({ browserName, swPage, origin }) => {
    test.skip(browserName !== 'chromium', 'overriding the quota needs the DevTools protocol');
    restoreQuota = await overrideQuota(swPage, origin.url, QUOTA);
  });
  test.afterEach(async () => {
    await restoreQuota?.();
    restoreQuota = undefined;
  });

  test('every response bigger than the quota is served complete; IndexedDB stays within it', async ({
    swPage,
    origin,
  }) => {
    expect(await usageAndQuota(swPage, origin.url)).toMatchObject({
      quota: QUOTA,
      overrideActive: true,
    });
    await fetchAllOverQuota(swPage);
    for (let i = 0; i < COUNT; i++) expect(origin.count(pathOf(i))).toBe(1);

    // Memory kept the last body IndexedDB refused: it is served again without the origin.
    const last = pathOf(COUNT - 1);
    await expectHitFrom(swPage, last, expectedSha256(last, BODY_SIZE), 'composition.memory');
    expect(origin.count(last)).toBe(1);

    // Nothing over the quota reached IndexedDB, and no failed write left chunks behind (the
    // last write's clean-up may still be running under waitUntil: poll).
    await expect
      .poll(async () => (await readCacheDb(swPage)).chunks.length, {
        message: 'chunks left in IndexedDB',
      })
      .toBe(0);
    expect(storedBytes(await readCacheDb(swPage))).toBeLessThanOrEqual(QUOTA);
  });

  test('memory copies of earlier bodies survive a later quota failure', async ({
    swPage,
    origin,
  }) => {
    // On QuotaExceededError the worker makes room on disk only: memory copies free no IndexedDB
    // space, so evicting them would only lose cached bodies.
    await fetchAllOverQuota(swPage);
    for (let i = 0; i < COUNT; i++) {
      const again = await pageFetch(swPage, pathOf(i), { as: 'sha256' });
      expect(again.sha256).toBe(expectedSha256(pathOf(i), BODY_SIZE));
      expect(parseCacheStatus(again.headers['cache-status']).hit, `body ${i} hit`).toBe(true);
      expect(origin.count(pathOf(i))).toBe(1);
    }
  });
});
