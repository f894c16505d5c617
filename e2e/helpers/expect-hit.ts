import { expect, type Page } from '@playwright/test';
import { parseCacheStatus } from './cache-status.ts';
import { pageFetch, type PageFetchResult } from './page-fetch.ts';

/** Fetches `path` in the page, expecting the whole body as a hit from storage layer `detail`. */
export async function expectHitFrom(
  page: Page,
  path: string,
  sha256: string,
  detail: string,
): Promise<PageFetchResult> {
  const hit = await pageFetch(page, path, { as: 'sha256' });
  const status = parseCacheStatus(hit.headers['cache-status']);
  expect(status.hit).toBe(true);
  expect(status.detail).toBe(detail);
  expect(hit.sha256).toBe(sha256);
  return hit;
}
