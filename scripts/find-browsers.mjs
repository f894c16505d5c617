// @ts-check
/**
 * Finds the browsers the end-to-end tests drive, in this order:
 * 1. an explicit path in SW_HTTP_CACHE_CHROMIUM / SW_HTTP_CACHE_FIREFOX;
 * 2. the Debian packages (/usr/bin/chromium, /usr/bin/firefox-esr);
 * 3. Playwright's own downloaded browsers (`npx playwright install chromium firefox`).
 * Used by playwright.config.ts and scripts/ensure-browsers.mjs. Plain Node, no dependencies
 * required (playwright-core is consulted only if it is installed).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

/**
 * @typedef {'chromium' | 'firefox'} BrowserName
 *
 * @typedef {object} FoundBrowser
 * @property {BrowserName} name
 * @property {'env' | 'system' | 'playwright' | 'none'} source where it was found
 * @property {string | undefined} executablePath undefined means Playwright's own build
 * @property {boolean} found whether an executable exists
 * @property {string} description one line for logs
 */

/** @type {Record<BrowserName, { envVar: string, systemPaths: string[] }>} */
export const BROWSER_LOCATIONS = {
  chromium: { envVar: 'SW_HTTP_CACHE_CHROMIUM', systemPaths: ['/usr/bin/chromium'] },
  firefox: { envVar: 'SW_HTTP_CACHE_FIREFOX', systemPaths: ['/usr/bin/firefox-esr'] },
};

/**
 * Where Playwright keeps its own build of `name`, if that build is installed.
 *
 * @param {BrowserName} name
 * @returns {string | undefined}
 */
function playwrightBuild(name) {
  try {
    // Synchronous on purpose: playwright.config.ts calls this while it is being evaluated.
    /** @type {typeof import('playwright-core')} */
    const playwright = createRequire(import.meta.url)('playwright-core');
    const path = playwright[name].executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined; // playwright-core not installed yet (before `npm ci`)
  }
}

/**
 * @param {BrowserName} name
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {FoundBrowser}
 */
export function findBrowser(name, env = process.env) {
  const { envVar, systemPaths } = BROWSER_LOCATIONS[name];
  const fromEnv = env[envVar];
  if (fromEnv) {
    const found = existsSync(fromEnv);
    return {
      name,
      source: 'env',
      executablePath: fromEnv,
      found,
      description: `${name}: ${fromEnv} (from ${envVar})${found ? '' : ' — file does not exist'}`,
    };
  }
  const system = systemPaths.find((path) => existsSync(path));
  if (system) {
    return {
      name,
      source: 'system',
      executablePath: system,
      found: true,
      description: `${name}: ${system} (system package)`,
    };
  }
  const ownBuild = playwrightBuild(name);
  if (ownBuild) {
    return {
      name,
      source: 'playwright',
      executablePath: undefined,
      found: true,
      description: `${name}: Playwright's own build (${ownBuild})`,
    };
  }
  return {
    name,
    source: 'none',
    executablePath: undefined,
    found: false,
    description: `${name}: not found (set ${envVar}, install ${systemPaths.join(' or ')}, or run npx playwright install ${name})`,
  };
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Record<BrowserName, FoundBrowser>}
 */
export function findBrowsers(env = process.env) {
  return { chromium: findBrowser('chromium', env), firefox: findBrowser('firefox', env) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findBrowsers();
  for (const browser of Object.values(found)) console.log(browser.description);
}
