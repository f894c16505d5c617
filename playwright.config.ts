/**
 * End-to-end tests in real browsers: Chromium and Firefox (ESR over WebDriver BiDi), and WebKit
 * (WebKitGTK's MiniBrowser over W3C WebDriver) for the specs listed below, found by
 * scripts/find-browsers.mjs, plus a `node` project for tests that need no browser (the test
 * origin itself, helper parsers). Run `node scripts/build.mjs` first (`npm run test:e2e` does).
 */
import process from 'node:process';
import { defineConfig } from '@playwright/test';
import type { PlaywrightTestConfig, Project } from '@playwright/test';
import { CHROMIUM_ARGS, findBrowsers } from './scripts/find-browsers.mjs';
import type { FoundBrowser } from './scripts/find-browsers.mjs';

const browsers = findBrowsers();
// The config is evaluated in the runner and again in every worker process: report once.
if (process.env.TEST_WORKER_INDEX === undefined) {
  for (const browser of Object.values(browsers))
    console.log(`e2e browsers: ${browser.description}`);
}

/** Specs that drive no browser; they run once, in the `node` project. */
const NODE_ONLY = /\.node\.spec\.ts$/;

function chromiumProject(browser: FoundBrowser): Project {
  return {
    name: 'chromium',
    testIgnore: [NODE_ONLY, WEBKIT_ONLY],
    use: {
      browserName: 'chromium',
      launchOptions: { executablePath: browser.executablePath, args: CHROMIUM_ARGS },
    },
  };
}

function firefoxProject(browser: FoundBrowser): Project {
  // A stock Firefox (system package or env var) is driven over WebDriver BiDi (`moz-firefox`);
  // Playwright's own Firefox build uses its own protocol and needs no channel.
  const stock = browser.executablePath !== undefined;
  return {
    name: 'firefox',
    testIgnore: [NODE_ONLY, WEBKIT_ONLY],
    use: {
      browserName: 'firefox',
      ...(stock ? { channel: 'moz-firefox' } : {}),
      launchOptions: {
        executablePath: browser.executablePath,
        // Grant storage without a prompt, as Playwright's own build does by default.
        firefoxUserPrefs: {
          'dom.storageManager.prompt.testing': true,
          'dom.storageManager.prompt.testing.allow': true,
        },
      },
    },
  };
}

/**
 * The WebKit set (issue 18): the specs whose features WebKit must be checked for. They run from
 * the same sources through a WebDriver-backed page (e2e/helpers/webdriver-page.ts), which has
 * no locators, network interception or DevTools protocol: specs that need those stay out, and
 * tests inside these files that need them skip in WebKit with the reason in the code.
 */
const WEBKIT_SPECS = [
  'first-slice',
  'http-revalidation',
  'http-vary',
  'http-ranges',
  'http-stale',
  'http-invalidation',
  // Issue 14 (RFC 9111 to the edge): every item in every engine, and the header-set oracle.
  'http-offline',
  'http-no-vary-search',
  'http-head-conditional',
  'http-stored-fields',
  'http-cache-modes',
  'http-upstream-timeout',
  'reliability-headers',
  'cross-tab',
  'coalescing-tabs',
  'worker-update',
  'storage-persistence',
  'storage-quota',
  'reliability-faults',
  'client-api',
  'demo-offline',
  'media-partial',
  '[a-z-]+\\.webkit',
];

/** Tests of WebKit's own behaviour: they run in the `webkit` project only. */
const WEBKIT_ONLY = /\.webkit\.spec\.ts$/;

/**
 * Tests of the WebKit set's files that stay out of it: origin faults that are the network's, not
 * the engine's, and would only add minutes (reliability-faults keeps its storage faults here).
 */
const WEBKIT_LEFT_OUT =
  /write lock closes|resets the connection|a reset while revalidating|the origin hangs/;

/**
 * One worker: the machine has 2 cores and every test of this project starts a MiniBrowser; one
 * Xvfb and one WebKitWebDriver serve the whole run. Under CI the project exists even when WebKit
 * is missing, so its tests fail (e2e/helpers/webkit-driver.ts says what to install) rather than
 * vanish; elsewhere scripts/ensure-browsers.mjs has warned and it is left out.
 */
function webkitProject(): Project {
  return {
    name: 'webkit',
    testMatch: new RegExp(`/(${WEBKIT_SPECS.join('|')})\\.spec\\.ts$`),
    grepInvert: WEBKIT_LEFT_OUT,
    workers: 1,
    use: { browserName: 'webkit' },
  };
}

const config: PlaywrightTestConfig = {
  testDir: 'e2e',
  testMatch: /\.spec\.ts$/,
  // Artifacts go below test-results/ but not into it: Playwright empties outputDir on start,
  // and test-results/unit.json from vitest must survive for .ci/run.
  outputDir: 'test-results/playwright',
  fullyParallel: true,
  workers: 2, // the machine has 2 cores; each test also runs a browser
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: { headless: true, trace: 'retain-on-failure' },
  projects: [
    { name: 'node', testMatch: NODE_ONLY },
    chromiumProject(browsers.chromium),
    firefoxProject(browsers.firefox),
    ...(browsers.webkit.found || process.env.CI ? [webkitProject()] : []),
  ],
};

export default defineConfig(config);
