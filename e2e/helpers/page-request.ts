import type { Page } from '@playwright/test';
import { pageFetch } from './page-fetch.ts';
import type { PageFetchInit, PageFetchResult } from './page-fetch.ts';

/** `PageFetchInit` plus the request mode (`only-if-cached` needs `mode: 'same-origin'`). */
export interface PageRequestInit extends PageFetchInit {
  mode?: RequestMode;
}

/**
 * `pageFetch` with a `RequestInit` that may also set `mode`; the init crosses into the page as
 * plain data and is handed to `fetch()` unchanged.
 */
export function pageRequest(
  page: Page,
  path: string,
  init: PageRequestInit,
  as: 'text' | 'sha256' = 'text',
): Promise<PageFetchResult> {
  return pageFetch(page, path, { as, init });
}
