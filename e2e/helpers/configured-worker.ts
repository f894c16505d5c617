import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Options demo/sw.ts reads from its script URL (see the comment at its top). */
export interface WorkerUrlOptions {
  maxBytes?: number;
  maxEntries?: number;
  lockTimeout?: number;
  upstreamTimeout?: number;
  maxBodySize?: number;
  offlineMaxStale?: number;
  debug?: boolean;
  navigationPreload?: boolean;
}

/**
 * Replaces the worker controlling `page` with `/sw.js?<options>` and resolves once that worker
 * controls the page. The fixture page registers plain `/sw.js`; registering another script URL
 * for the same scope installs the new worker, which activates at once and claims the page.
 * Returns the script URL.
 *
 * Call it after opening every tab the test needs: loading the fixture page registers plain
 * `/sw.js` again, which replaces the configured worker for the whole origin.
 */
export async function useWorkerOptions(page: Page, options: WorkerUrlOptions): Promise<string> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) query.set(name, String(value));
  }
  const scriptPath = `/sw.js?${query.toString()}`;
  await page.evaluate(async (path) => {
    await navigator.serviceWorker.register(path);
  }, scriptPath);
  const expected = new URL(scriptPath, page.url()).href;
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), {
      message: `the page is controlled by ${scriptPath}`,
    })
    .toBe(expected);
  return expected;
}
