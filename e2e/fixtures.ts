/**
 * Playwright fixtures for the end-to-end tests.
 *
 * - `origin`: a fresh test origin server per test (see server/origin.mjs). Starting one costs a
 *   few milliseconds, and a new port is a new web origin, so every test gets its own service
 *   worker registration, IndexedDB and request counters — no test can see another's cache.
 * - `swContext`: a persistent browser context in a fresh temporary profile, removed afterwards.
 *   Playwright's default contexts are incognito (IndexedDB in memory); the cache must be tested
 *   against real on-disk storage, so every browser here runs with a profile of its own.
 *   Verified with Firefox ESR over WebDriver BiDi too: persistent context, service worker
 *   control and on-disk IndexedDB all work there.
 * - `swPage`: a page of `swContext` at `${origin.url}/e2e/blank.html`, already controlled by
 *   the worker (`/sw.js`).
 *
 * In the `webkit` project (browserName `webkit`) `swContext` is a WebDriver session of WebKitGTK's
 * MiniBrowser instead (helpers/webkit-driver.ts), typed as Playwright's context but implementing
 * only what the WebKit specs use (helpers/webdriver-page.ts). Its storage is ephemeral:
 * MiniBrowser's automation mode takes no profile directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import type { BrowserContext, LaunchOptions, Page } from '@playwright/test';
import { openControlledPage } from './helpers/controlled-page.ts';
import { startWebKitServer } from './helpers/webkit-driver.ts';
import type { WebKitServer } from './helpers/webkit-driver.ts';
import { findBrowser } from '../scripts/find-browsers.mjs';
import { startOrigin } from './server/origin.mjs';
import type { Origin } from './server/origin.mjs';

export { expect } from '@playwright/test';

/**
 * The build under test, relative to the repository root: `dist-demo` (from
 * `node scripts/build.mjs`) unless SW_HTTP_CACHE_E2E_STATIC_DIR names another one.
 */
const STATIC_DIR = process.env.SW_HTTP_CACHE_E2E_STATIC_DIR ?? 'dist-demo';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface E2eFixtures {
  origin: Origin;
  swContext: BrowserContext;
  swPage: Page;
}

export interface E2eWorkerFixtures {
  /** The worker's Xvfb and WebKitWebDriver in the `webkit` project; undefined elsewhere. */
  webkitServer: WebKitServer | undefined;
}

export const test = base.extend<E2eFixtures, E2eWorkerFixtures>({
  webkitServer: [
    async ({ browserName }, use) => {
      if (browserName !== 'webkit') return use(undefined);
      const server = await startWebKitServer(findBrowser('webkit'));
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker' },
  ],

  // Playwright requires object destructuring even when a fixture depends on nothing.
  // eslint-disable-next-line no-empty-pattern
  origin: async ({}, use) => {
    const origin = await startOrigin({ staticDir: STATIC_DIR });
    await use(origin);
    await origin.close();
  },

  swContext: async (
    { playwright, browserName, launchOptions, channel, headless, colorScheme, webkitServer },
    use,
  ) => {
    if (webkitServer !== undefined) {
      const context = await webkitServer.newContext();
      try {
        await use(context as unknown as BrowserContext);
      } finally {
        await context.close();
      }
      return;
    }
    const profile = await mkdtemp(join(tmpdir(), `sw-http-cache-e2e-${browserName}-`));
    const context = await playwright[browserName].launchPersistentContext(profile, {
      ...launchOptions,
      ...colorSchemeOptions(browserName, launchOptions, colorScheme),
      channel,
      headless,
    });
    try {
      await use(context);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  },

  swPage: async ({ swContext, origin }, use) => {
    if (!existsSync(resolve(REPO_ROOT, STATIC_DIR, 'sw.js'))) {
      throw new Error(`${STATIC_DIR}/sw.js is missing: run \`node scripts/build.mjs\` first`);
    }
    await use(await openControlledPage(swContext, origin.url));
  },
});

/**
 * `test.use({ colorScheme })` for the persistent context. Firefox over WebDriver BiDi cannot
 * emulate media features, so there the profile itself prefers the scheme.
 */
function colorSchemeOptions(
  browserName: string,
  launchOptions: LaunchOptions,
  colorScheme: 'light' | 'dark' | 'no-preference' | null | undefined,
): Pick<LaunchOptions, 'firefoxUserPrefs'> & { colorScheme?: 'light' | 'dark' } {
  if (colorScheme !== 'light' && colorScheme !== 'dark') return {};
  if (browserName !== 'firefox') return { colorScheme };
  return {
    firefoxUserPrefs: {
      ...launchOptions.firefoxUserPrefs,
      // 0: dark, 1: light (2 and 3 follow the browser's or the system's theme).
      'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1,
    },
  };
}
