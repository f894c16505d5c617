import type { BrowserContext, Page } from '@playwright/test';

declare global {
  interface Window {
    /** Set by e2e/fixtures/blank.html: resolves once the service worker controls the page. */
    swReady: Promise<true>;
  }
}

/**
 * Opens `${originUrl}/e2e/blank.html` in `context` — reusing the context's first blank tab if
 * it has one, else in a new tab — and resolves once the service worker controls it. Call it
 * again with `{ newTab: true }` for a second tab of the same origin (cross-tab tests).
 */
export async function openControlledPage(
  context: BrowserContext,
  originUrl: string,
  { newTab = false }: { newTab?: boolean } = {},
): Promise<Page> {
  const blank = newTab ? undefined : context.pages().find((page) => page.url() === 'about:blank');
  const page = blank ?? (await context.newPage());
  await page.goto(`${originUrl}/e2e/blank.html`);
  await page.evaluate(() => window.swReady);
  return page;
}
