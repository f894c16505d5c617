/**
 * The byte budget holds under a stream of admissions, in IndexedDB (what survives), and every
 * other context hears about the evictions on the cache's BroadcastChannel.
 */
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { readCacheDb, storedBytes } from './helpers/cache-db.ts';
import { receivedCacheEvents, recordCacheEvents } from './helpers/cache-events.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch } from './helpers/page-fetch.ts';

const MAX_BYTES = 200_000;
const BODY_SIZE = 20_000;
const RESPONSES = 50;
const BATCH = 10;
/** How many bodies fit in the budget at once. */
const FITS = Math.floor(MAX_BYTES / BODY_SIZE);

const pathOf = (i: number) => `/api/resource?cc=max-age%3D600&size=${BODY_SIZE}&n=${i}`;

test('the byte budget holds after every batch and a second tab hears the evictions', async ({
  swPage,
  swContext,
  origin,
}) => {
  // 50 stores, 5 IndexedDB snapshots and a second tab: Firefox needs ~30 s on 2 shared cores.
  test.setTimeout(90_000);
  // The fixture page registers plain `/sw.js`: open every tab before configuring the worker.
  const secondTab = await openControlledPage(swContext, origin.url, { newTab: true });
  await useWorkerOptions(swPage, { maxBytes: MAX_BYTES });
  await recordCacheEvents(secondTab);

  for (let start = 0; start < RESPONSES; start += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, i) => start + i);
    const results = await Promise.all(
      batch.map((i) => pageFetch(swPage, pathOf(i), { as: 'sha256' })),
    );
    for (const [j, result] of results.entries()) {
      const i = start + j;
      expect(result.sha256, `body of response ${i}`).toBe(expectedSha256(pathOf(i), BODY_SIZE));
      expect(parseCacheStatus(result.headers['cache-status']).stored).toBe(true);
    }
    // Evictions run right after each store finishes: wait until the batch's stores have
    // settled (every key of the batch announced), then the budget must hold in IndexedDB.
    await expect
      .poll(async () => {
        const stored = (await receivedCacheEvents(secondTab)).filter((e) => e.type === 'stored');
        return stored.length;
      })
      .toBe(start + BATCH);
    await expect
      .poll(async () => storedBytes(await readCacheDb(swPage)), {
        message: `stored bytes after ${start + BATCH} admissions`,
      })
      .toBeLessThanOrEqual(MAX_BYTES);
    const snapshot = await readCacheDb(swPage);
    // Within budget, and not by throwing everything away: the batch just stored is kept.
    const kept = new Set(snapshot.metas.filter((m) => m.complete === 1).map((m) => m.primary));
    for (const i of batch.slice(-FITS)) expect(kept.has(`${origin.url}${pathOf(i)}`)).toBe(true);
  }

  // Least recently used first: the first responses are gone, the last FITS are still there.
  const snapshot = await readCacheDb(swPage);
  const kept = snapshot.metas.filter((m) => m.complete === 1).map((m) => m.primary);
  expect(kept.sort()).toEqual(
    Array.from({ length: FITS }, (_, k) => `${origin.url}${pathOf(RESPONSES - FITS + k)}`).sort(),
  );
  // Evicted bodies left no chunks behind.
  const keptBodies = new Set(snapshot.metas.map((m) => m.bodyId));
  expect(snapshot.chunks.filter((c) => !keptBodies.has(c.bodyId))).toEqual([]);

  // The second tab heard an `evicted` event for every response that was dropped.
  const evicted = (await receivedCacheEvents(secondTab))
    .filter((e) => e.type === 'evicted')
    .flatMap((e) => e.keys.map((k) => k.primary));
  expect(evicted.length).toBeGreaterThan(0);
  expect(new Set(evicted)).toEqual(
    new Set(Array.from({ length: RESPONSES - FITS }, (_, i) => `${origin.url}${pathOf(i)}`)),
  );

  // What the origin saw: one request per response; an evicted one goes back to the origin.
  for (let i = 0; i < RESPONSES; i++) expect(origin.count(pathOf(i))).toBe(1);
  const again = await pageFetch(swPage, pathOf(0), { as: 'sha256' });
  expect(parseCacheStatus(again.headers['cache-status']).hit).toBe(false);
  expect(again.sha256).toBe(expectedSha256(pathOf(0), BODY_SIZE));
  expect(origin.count(pathOf(0))).toBe(2);
});
