// @ts-check
// The one way every bench starts its browser: the system's Chromium (scripts/find-browsers.mjs),
// headless, in a persistent context on a fresh profile (IndexedDB on disk, as in a real browser;
// Playwright's default context is incognito and keeps it in memory), with the e2e tests' quiet
// switches (CHROMIUM_ARGS).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser } from '../../scripts/find-browsers.mjs';

/**
 * Launches Chromium for a bench, or throws saying what is missing.
 *
 * @param {string} name names the profile directory (`sw-http-cache-<name>-…` in the temp dir)
 * @param {{ args?: string[] }} [options] extra command-line switches
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, profile: string,
 *   description: string }>} `profile`: the user data directory (e.g. for DevToolsActivePort)
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
