import type { Page } from '@playwright/test';

/** The parts of `RequestInit` that can cross into the page. */
export interface PageFetchInit {
  method?: string;
  headers?: Record<string, string>;
  cache?: RequestCache;
  body?: string;
}

/** What a `fetch()` made by the page saw. */
export interface PageFetchResult {
  status: number;
  /** Lower-case names; repeated headers are joined with `, ` as `Headers` does. */
  headers: Record<string, string>;
  /** Body length in bytes. */
  bodySize: number;
  /** The body as UTF-8 text, when read `as: 'text'` (the default). */
  bodyText?: string;
  /** Hex SHA-256 of the body, when read `as: 'sha256'` (for large or binary bodies). */
  sha256?: string;
}

/**
 * Fetches `path` from inside the page — so the request goes through the service worker — and
 * reads the whole body. Rejects when the page's fetch rejects (a network error).
 */
export async function pageFetch(
  page: Page,
  path: string,
  { as = 'text', init = {} }: { as?: 'text' | 'sha256'; init?: PageFetchInit } = {},
): Promise<PageFetchResult> {
  return page.evaluate(
    async ({ path, as, init }) => {
      const response = await fetch(path, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const result: PageFetchResult = { status: response.status, headers, bodySize: bytes.length };
      if (as === 'text') {
        result.bodyText = new TextDecoder().decode(bytes);
      } else {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        result.sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
      }
      return result;
    },
    { path, as, init },
  );
}
