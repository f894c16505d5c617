import type { Page } from '@playwright/test';
import { expect } from '../fixtures.ts';
import type { Origin } from '../server/origin.mjs';
import { parseCacheStatus } from './cache-status.ts';
import { pageFetch } from './page-fetch.ts';

/**
 * Fetches `path` (an `/api/resource` URL, whose body names the origin's request count) twice and
 * expects both to come from the origin, neither served from nor put into the cache.
 */
export async function expectNeverCached(swPage: Page, origin: Origin, path: string): Promise<void> {
  const first = await pageFetch(swPage, path);
  const second = await pageFetch(swPage, path);

  expect(first.bodyText).toBe(`origin response #1 for ${path}`);
  expect(second.bodyText).toBe(`origin response #2 for ${path}`);
  for (const response of [first, second]) {
    expect(parseCacheStatus(response.headers['cache-status'])).toMatchObject({
      hit: false,
      stored: false,
    });
  }
  expect(origin.count(path)).toBe(2);
}
