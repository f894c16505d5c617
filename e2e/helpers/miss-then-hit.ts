import { expect, type Page } from '@playwright/test';
import type { Origin } from '../server/origin.mjs';
import { parseCacheStatus } from './cache-status.ts';
import { pageFetch, type PageFetchResult } from './page-fetch.ts';

/**
 * Fetches `path` twice from `page`, through whatever worker controls it, and checks that the
 * first was a stored miss, the second a hit, and that the origin saw one request.
 */
export async function expectMissThenHit(
  page: Page,
  origin: Origin,
  path: string,
): Promise<{ miss: PageFetchResult; hit: PageFetchResult }> {
  const miss = await pageFetch(page, path);
  expect(parseCacheStatus(miss.headers['cache-status'])).toMatchObject({
    fwd: 'uri-miss',
    stored: true,
  });
  const hit = await pageFetch(page, path);
  expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
  expect(origin.count(path)).toBe(1);
  return { miss, hit };
}
