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

/** Two tabs of the demo app (as `openDemo` opens them): one to act, one whose inspector watches. */
export async function openDemoTabs(
  context: BrowserContext,
  originUrl: string,
): Promise<[Page, Page]> {
  const first = await openDemo(context, originUrl);
  // A new tab: the first is not blank.
  return [first, await openDemo(context, originUrl)];
}

/**
 * The inspector's event log lines, newest first. (Playwright's CSS selectors pierce the
 * inspector's open shadow root, so its ids are reachable from the page.)
 */
export function logLines(page: Page, kind?: string) {
  return page.locator(kind === undefined ? '#log li' : `#log li[data-kind="${kind}"]`);
}

/** The inspector's entry row for a URL (matched on path and query). */
export function entryRow(page: Page, pathAndQuery: RegExp | string) {
  return page.locator('#entries tbody tr').filter({
    has: page.locator('td:first-child', { hasText: pathAndQuery }),
  });
}

/** Purges with the inspector's form: by `url`, `prefix` or `tag`. */
export async function purgeBy(page: Page, kind: 'url' | 'prefix' | 'tag', value: string) {
  await page.locator('#purge-kind').selectOption(kind);
  await page.locator('#purge-value').fill(value);
  await page.locator('#purge-form').getByRole('button', { name: 'Purge', exact: true }).click();
}
