// @ts-check
/**
 * Finds the browsers the end-to-end tests drive, in this order:
 * 1. an explicit path in SW_HTTP_CACHE_CHROMIUM / SW_HTTP_CACHE_FIREFOX / SW_HTTP_CACHE_WEBKIT;
 * 2. the Debian packages (/usr/bin/chromium, /usr/bin/firefox-esr, WebKitGTK's MiniBrowser);
 * 3. Playwright's own downloaded browsers (`npx playwright install chromium firefox`).
 * WebKit is WebKitGTK's MiniBrowser driven over W3C WebDriver (e2e/helpers/webdriver-page.ts):
 * it also needs `WebKitWebDriver` (SW_HTTP_CACHE_WEBKIT_DRIVER, else /usr/bin/WebKitWebDriver)
 * and `Xvfb` for its display (SW_HTTP_CACHE_XVFB, else /usr/bin/Xvfb); Playwright's own WebKit
 * is not used.
 * Used by playwright.config.ts and scripts/ensure-browsers.mjs. Plain Node, no dependencies
 * required (playwright-core is consulted only if it is installed).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

/**
 * @typedef {'chromium' | 'firefox' | 'webkit'} BrowserName
 *
 * @typedef {object} FoundBrowser
 * @property {BrowserName} name
 * @property {'env' | 'system' | 'playwright' | 'none'} source where it was found
 * @property {string | undefined} executablePath undefined means Playwright's own build
 * @property {boolean} found whether an executable exists (for WebKit: all three of them)
 * @property {string} [driverPath] WebKit only: the WebDriver server, `WebKitWebDriver`
 * @property {string} [xvfbPath] WebKit only: the X server it displays on, `Xvfb`
 * @property {string} description one line for logs
 */

/**
 * Quiet, deterministic Chromium for the tests and the benches alike: no sandbox (containers run
 * as root), no GPU, no background traffic.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @type {Record<BrowserName, { envVar: string, systemPaths: string[] }>} */
export const BROWSER_LOCATIONS = {
  chromium: { envVar: 'SW_HTTP_CACHE_CHROMIUM', systemPaths: ['/usr/bin/chromium'] },
  firefox: { envVar: 'SW_HTTP_CACHE_FIREFOX', systemPaths: ['/usr/bin/firefox-esr'] },
  // MiniBrowser comes with libwebkit2gtk-4.1-0, a dependency of webkit2gtk-driver.
  webkit: {
    envVar: 'SW_HTTP_CACHE_WEBKIT',
    systemPaths: ['x86_64', 'aarch64'].map(
      (arch) => `/usr/lib/${arch}-linux-gnu/webkit2gtk-4.1/MiniBrowser`,
    ),
  },
};

/** The two programs WebKit needs besides MiniBrowser, found the same way (env var, then Debian). */
export const WEBKIT_HELPER_LOCATIONS = {
  driver: { envVar: 'SW_HTTP_CACHE_WEBKIT_DRIVER', systemPaths: ['/usr/bin/WebKitWebDriver'] },
  xvfb: { envVar: 'SW_HTTP_CACHE_XVFB', systemPaths: ['/usr/bin/Xvfb'] },
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
 * One program by its env var, then its system paths.
 *
 * @param {{ envVar: string, systemPaths: string[] }} location
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ source: 'env' | 'system', path: string, found: boolean } | undefined}
 */
function locate({ envVar, systemPaths }, env) {
  const fromEnv = env[envVar];
  if (fromEnv) return { source: 'env', path: fromEnv, found: existsSync(fromEnv) };
  const system = systemPaths.find((path) => existsSync(path));
  return system ? { source: 'system', path: system, found: true } : undefined;
}

/**
 * @param {BrowserName} name
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {FoundBrowser}
 */
export function findBrowser(name, env = process.env) {
  if (name === 'webkit') return findWebKit(env);
  const { envVar, systemPaths } = BROWSER_LOCATIONS[name];
  const located = locate(BROWSER_LOCATIONS[name], env);
  if (located) {
    const { source, path, found } = located;
    return {
      name,
      source,
      executablePath: path,
      found,
      description:
        source === 'env'
          ? `${name}: ${path} (from ${envVar})${found ? '' : ' — file does not exist'}`
          : `${name}: ${path} (system package)`,
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
 * WebKitGTK: MiniBrowser, WebKitWebDriver and Xvfb, each by its env var, then Debian's path.
 *
 * @param {NodeJS.ProcessEnv} env
 * @returns {FoundBrowser}
 */
function findWebKit(env) {
  const parts = {
    browser: { ...BROWSER_LOCATIONS.webkit, label: 'MiniBrowser' },
    driver: { ...WEBKIT_HELPER_LOCATIONS.driver, label: 'WebKitWebDriver' },
    xvfb: { ...WEBKIT_HELPER_LOCATIONS.xvfb, label: 'Xvfb' },
  };
  const located = {
    browser: locate(parts.browser, env),
    driver: locate(parts.driver, env),
    xvfb: locate(parts.xvfb, env),
  };
  const problems = Object.entries(parts).flatMap(([part, { envVar, systemPaths, label }]) => {
    const where = located[/** @type {keyof typeof parts} */ (part)];
    if (where === undefined)
      return [`${label} not found (set ${envVar} or install ${systemPaths.join(' or ')})`];
    return where.found ? [] : [`${label} ${where.path} (from ${envVar}) does not exist`];
  });
  const found = problems.length === 0;
  const source = located.browser?.source ?? 'none';
  // A wrong env var is a misconfiguration (ensure-browsers.mjs then installs nothing).
  const misconfigured = Object.values(located).some(
    (where) => where?.source === 'env' && !where.found,
  );
  return {
    name: 'webkit',
    source: misconfigured ? 'env' : found ? source : 'none',
    executablePath: located.browser?.path,
    driverPath: located.driver?.path,
    xvfbPath: located.xvfb?.path,
    found,
    description: found
      ? `webkit: ${located.browser?.path} over ${located.driver?.path} on ${located.xvfb?.path}${source === 'env' ? ' (from SW_HTTP_CACHE_WEBKIT)' : ' (system packages)'}`
      : `webkit: ${problems.join('; ')} — on Debian: apt-get install webkit2gtk-driver xvfb`,
  };
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Record<BrowserName, FoundBrowser>}
 */
export function findBrowsers(env = process.env) {
  return {
    chromium: findBrowser('chromium', env),
    firefox: findBrowser('firefox', env),
    webkit: findBrowser('webkit', env),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findBrowsers();
  for (const browser of Object.values(found)) console.log(browser.description);
}
