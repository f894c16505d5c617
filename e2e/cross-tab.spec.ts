/** One worker serves every tab of the origin, so what one tab stored is a hit in the others. */
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('a response stored for one tab is a hit in another tab', async ({
  swPage,
  swContext,
  origin,
}) => {
  const path = '/api/resource?cc=max-age%3D60&tag=shared';
  const secondTab = await openControlledPage(swContext, origin.url, { newTab: true });
  expect(secondTab).not.toBe(swPage);

  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status']).stored).toBe(true);

  const reused = await pageFetch(secondTab, path);
  expect(parseCacheStatus(reused.headers['cache-status']).hit).toBe(true);
  expect(reused.bodyText).toBe(stored.bodyText);
  expect(origin.count(path)).toBe(1);
});
