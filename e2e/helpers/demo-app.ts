import type { BrowserContext, Page } from '@playwright/test';

/**
 * Opens the demo app (`path`, default `/`; e.g. `/?maxBytes=250000` for a configured worker) in
 * a new tab of `context` and resolves once the worker controls it, the dashboard is live and the
 * shell has been copied for offline use.
 */
export async function openDemo(
  context: BrowserContext,
  originUrl: string,
  path = '/',
): Promise<Page> {
  const blank = context.pages().find((page) => page.url() === 'about:blank');
  const page = blank ?? (await context.newPage());
  await page.goto(`${originUrl}${path}`);
  // A page script rather than a locator, so that WebKit's WebDriver page can open the demo too.
  await page.waitForFunction(
    () => document.body.dataset['ready'] === 'true' && document.body.dataset['shell'] === 'cached',
    undefined,
    { timeout: 10_000 },
  );
  return page;
}

/** The event log's lines, newest first. */
export function logLines(page: Page, kind?: string) {
  return page.locator(kind === undefined ? '#log li' : `#log li[data-kind="${kind}"]`);
}

/** The dashboard's entry row for a URL (matched on path and query). */
export function entryRow(page: Page, pathAndQuery: RegExp | string) {
  return page.locator('#entries tbody tr').filter({
    has: page.locator('td:first-child', { hasText: pathAndQuery }),
  });
}
