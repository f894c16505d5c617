// @ts-check
/**
 * Makes sure the end-to-end tests have a Chromium, a Firefox and a WebKit (see
 * find-browsers.mjs). As root on Debian it installs the missing ones with apt; anywhere else it
 * says what to install and exits 1. It never downloads Playwright's browsers by itself.
 *
 * WebKit (WebKitGTK's MiniBrowser over WebKitWebDriver, under Xvfb) exists only on Linux. Where
 * it cannot be installed, a local run goes on without it, with a warning (playwright.config.ts
 * then leaves the `webkit` project out); under CI (CI=true) a missing WebKit fails the run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { findBrowsers } from './find-browsers.mjs';

/** Debian packages for each browser. */
const DEBIAN_PACKAGES = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb'],
};

/**
 * Command-line tools the e2e tests run, by Debian package: the media spec makes its WebM clip
 * with ffmpeg at test time (e2e/helpers/media-clip.ts). Installed like the browsers; where they
 * cannot be, the specs that need them skip and say why.
 */
const TOOL_PACKAGES = { ffmpeg: ['ffmpeg'] };

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canApt = isRoot && existsSync('/etc/debian_version');

/**
 * Installs Debian packages with apt-get (as root on Debian).
 *
 * @param {string} what printed: `e2e tools`, `e2e browsers`
 * @param {string[]} packages
 */
function aptInstall(what, packages) {
  console.log(`${what}: installing ${packages.join(' ')} with apt-get`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env: aptEnv });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: aptEnv,
  });
}

const missingTools = Object.keys(TOOL_PACKAGES).filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
);
if (missingTools.length > 0) {
  if (canApt) {
    aptInstall(
      'e2e tools',
      missingTools.flatMap((tool) => TOOL_PACKAGES[tool]),
    );
  } else {
    console.warn(`e2e tools: missing ${missingTools.join(', ')} (specs that need them skip)`);
  }
}

const before = findBrowsers();
const missing = Object.values(before).filter((browser) => !browser.found);
for (const browser of Object.values(before)) console.log(`e2e browsers: ${browser.description}`);
if (missing.length === 0) process.exit(0);

const misconfigured = missing.filter((browser) => browser.source === 'env');
if (misconfigured.length === 0 && canApt) {
  aptInstall(
    'e2e browsers',
    missing.flatMap((browser) => DEBIAN_PACKAGES[browser.name]),
  );
  const after = Object.values(findBrowsers()).filter((browser) => !browser.found);
  if (after.length === 0) process.exit(0);
  console.error(
    `e2e browsers: still missing after apt-get: ${after.map((b) => b.name).join(', ')}`,
  );
  process.exit(1);
}

const required = missing.filter((browser) => browser.name !== 'webkit' || process.env.CI);
const message = [
  `e2e browsers: missing ${missing.map((browser) => browser.name).join(' and ')}.`,
  ...misconfigured.map((browser) => `  ${browser.description}`),
  'Install them, then run the tests again:',
  `  Debian/Ubuntu: sudo apt-get install ${missing.flatMap((b) => DEBIAN_PACKAGES[b.name]).join(' ')}`,
  ...(missing.some((b) => b.name !== 'webkit')
    ? [
        `  macOS/Windows/other: npx playwright install ${missing
          .filter((b) => b.name !== 'webkit')
          .map((b) => b.name)
          .join(' ')}`,
      ]
    : []),
  '  or point SW_HTTP_CACHE_CHROMIUM / SW_HTTP_CACHE_FIREFOX / SW_HTTP_CACHE_WEBKIT',
  '  (with SW_HTTP_CACHE_WEBKIT_DRIVER and SW_HTTP_CACHE_XVFB) at installed executables.',
];
if (required.length === 0) {
  // Only WebKit is missing, outside CI: a warning, and the run goes on without it.
  console.warn(
    [...message, 'e2e browsers: running without WebKit (under CI=true this fails).'].join('\n'),
  );
  process.exit(0);
}
console.error(message.join('\n'));
process.exit(1);
