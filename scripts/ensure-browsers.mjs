// @ts-check
/**
 * Makes sure the end-to-end tests have a Chromium and a Firefox (see find-browsers.mjs).
 * As root on Debian it installs the missing ones with apt; anywhere else it says what to
 * install and exits 1. It never downloads Playwright's browsers by itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { findBrowsers } from './find-browsers.mjs';

/** Debian package for each browser. */
const DEBIAN_PACKAGES = { chromium: 'chromium', firefox: 'firefox-esr' };

const before = findBrowsers();
const missing = Object.values(before).filter((browser) => !browser.found);
for (const browser of Object.values(before)) console.log(`e2e browsers: ${browser.description}`);
if (missing.length === 0) process.exit(0);

const misconfigured = missing.filter((browser) => browser.source === 'env');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (misconfigured.length === 0 && isRoot && existsSync('/etc/debian_version')) {
  const packages = missing.map((browser) => DEBIAN_PACKAGES[browser.name]);
  console.log(`e2e browsers: installing ${packages.join(' ')} with apt-get`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env: aptEnv });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: aptEnv,
  });
  const after = Object.values(findBrowsers()).filter((browser) => !browser.found);
  if (after.length === 0) process.exit(0);
  console.error(
    `e2e browsers: still missing after apt-get: ${after.map((b) => b.name).join(', ')}`,
  );
  process.exit(1);
}

console.error(
  [
    `e2e browsers: missing ${missing.map((browser) => browser.name).join(' and ')}.`,
    ...misconfigured.map((browser) => `  ${browser.description}`),
    'Install them, then run the tests again:',
    `  Debian/Ubuntu: sudo apt-get install ${missing.map((b) => DEBIAN_PACKAGES[b.name]).join(' ')}`,
    `  macOS/Windows/other: npx playwright install ${missing.map((b) => b.name).join(' ')}`,
    '  or point SW_HTTP_CACHE_CHROMIUM / SW_HTTP_CACHE_FIREFOX at an installed executable.',
  ].join('\n'),
);
process.exit(1);
