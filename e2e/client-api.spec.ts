/**
 * The page API (src/client) against the real worker: `stats()`, `entries()`, `purge()` by URL
 * and by tag, `clear()`, and the events a `subscribe()` listener hears for each. The demo
 * dashboard shows the same through its UI; this drives the API itself, in every browser.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openControlClient } from './helpers/control-client.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import type { CacheEvent } from '../src/client/index.ts';

declare global {
  interface Window {
    /** Filled by the test's `subscribe()` listener. */
    heardEvents?: { type: CacheEvent['type']; urls: string[] }[];
  }
}

test('stats, entries, purge by URL and by tag, clear, and an event for each', async ({
  swPage,
  origin,
}) => {
  const plain = apiUrl('/api/resource', { cc: 'max-age=600', id: 'plain' });
  const tagged = apiUrl('/api/resource', { cc: 'max-age=600', id: 'tagged', tag: 'news' });
  const other = apiUrl('/api/resource', { cc: 'max-age=600', id: 'other', tag: 'news' });
  await openControlClient(swPage);
  await swPage.evaluate(() => {
    window.heardEvents = [];
    window.httpCache!.subscribe((event) => {
      window.heardEvents!.push({ type: event.type, urls: event.keys.map((key) => key.primary) });
    });
  });
  const heard = (type: string) =>
    swPage.evaluate(
      (type) => (window.heardEvents ?? []).filter((event) => event.type === type),
      type,
    );

  for (const path of [plain, tagged, other]) {
    expect(parseCacheStatus((await pageFetch(swPage, path)).headers['cache-status']).stored).toBe(
      true,
    );
  }
  expect(parseCacheStatus((await pageFetch(swPage, plain)).headers['cache-status']).hit).toBe(true);
  await expect.poll(async () => (await heard('stored')).length).toBe(3);

  // Bodies reach IndexedDB after their answers: poll until all three are counted there.
  await expect
    .poll(() => swPage.evaluate(() => window.httpCache!.stats().then((stats) => stats.entries)))
    .toBe(3);
  const stats = await swPage.evaluate(() => window.httpCache!.stats());
  expect(stats).toMatchObject({ hits: 1, misses: 3 });
  expect(stats.hitRatio).toBeCloseTo(1 / 4);
  const entries = await swPage.evaluate(() => window.httpCache!.entries());
  expect(entries.map((entry) => new URL(entry.url).search).sort()).toEqual(
    [plain, tagged, other].map((path) => new URL(path, origin.url).search).sort(),
  );
  const taggedEntry = entries.find((entry) => entry.url === `${origin.url}${tagged}`);
  expect(taggedEntry).toMatchObject({ status: 200, fresh: true, tags: ['news'] });

  expect(await swPage.evaluate((path) => window.httpCache!.purge(path), plain)).toBe(1);
  await expect
    .poll(async () => (await heard('purged')).flatMap((e) => e.urls))
    .toEqual([`${origin.url}${plain}`]);
  expect(parseCacheStatus((await pageFetch(swPage, plain)).headers['cache-status']).hit).toBe(
    false,
  );

  expect(await swPage.evaluate(() => window.httpCache!.purge({ tag: 'news' }))).toBe(2);
  await expect.poll(async () => (await heard('purged')).flatMap((e) => e.urls).length).toBe(3);

  await swPage.evaluate(() => window.httpCache!.clear());
  await expect.poll(async () => (await heard('cleared')).length).toBe(1);
  await expect
    .poll(() => swPage.evaluate(() => window.httpCache!.entries().then((rows) => rows.length)))
    .toBe(0);
  expect(origin.count(plain)).toBe(2);
});
