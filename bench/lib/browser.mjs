// @ts-check
// The one way every bench starts its browser: the system's Chromium (scripts/find-browsers.mjs),
// headless, in a persistent context on a fresh profile (IndexedDB on disk, as in a real browser;
// Playwright's default context is incognito and keeps it in memory), with the e2e tests' quiet
// switches (CHROMIUM_ARGS). `npm run bench -- --browser=firefox` starts Firefox ESR the same
// way, driven like the e2e tests' firefox project (WebDriver BiDi, `moz-firefox`).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser } from '../../scripts/find-browsers.mjs';

/**
 * @typedef {{ context: import('playwright-core').BrowserContext, profile: string,
 *   description: string }} BenchBrowser `profile`: the user data directory (e.g. for
 *   DevToolsActivePort)
 */

/**
 * Launches Chromium for a bench, or throws saying what is missing.
 *
 * @param {string} name names the profile directory (`sw-http-cache-<name>-…` in the temp dir)
 * @param {{ args?: string[] }} [options] extra command-line switches
 * @returns {Promise<BenchBrowser>}
 */
export async function launchBenchBrowser(name, { args = [] } = {}) {
  const browser = findBrowser('chromium');
  if (!browser.found) throw new Error(`no Chromium: ${browser.description}`);
  const profile = await mkdtemp(join(tmpdir(), `sw-http-cache-${name}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
  return { context, profile, description: browser.description };
}

/**
 * Launches Firefox (ESR from the system, else Playwright's build) for a bench, or throws saying
 * what is missing. Storage is granted without a prompt, as in playwright.config.ts, and
 * `performance.now()` is not rounded (Firefox rounds it to 1 ms by default; Chromium to 0.1 ms).
 *
 * @param {string} name names the profile directory
 * @param {Record<string, string | number | boolean>} prefs extra preferences
 * @returns {Promise<BenchBrowser>}
 */
export async function launchBenchFirefox(name, prefs) {
  const browser = findBrowser('firefox');
  if (!browser.found) throw new Error(`no Firefox: ${browser.description}`);
  const profile = await mkdtemp(join(tmpdir(), `sw-http-cache-${name}-`));
  const context = await firefox.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    // A stock Firefox speaks WebDriver BiDi; Playwright's own build needs no channel.
    ...(browser.executablePath !== undefined ? { channel: 'moz-firefox' } : {}),
    headless: true,
    firefoxUserPrefs: {
      'dom.storageManager.prompt.testing': true,
      'dom.storageManager.prompt.testing.allow': true,
      'privacy.reduceTimerPrecision': false,
      ...prefs,
    },
  });
  return { context, profile, description: browser.description };
}
