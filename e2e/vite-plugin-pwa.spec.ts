/**
 * The vite-plugin-pwa recipe (recipes/vite-plugin-pwa/, the README's first way to use the
 * cache) built as a fresh app and run: workbox-precaching keeps the shell, sw-http-cache answers
 * `/api/`, and vite-plugin-pwa's registerSW updates the worker in both of its modes.
 *
 * Two variants cover the worker formats and the update modes (each is independent of the
 * other): `es` with `registerType: 'prompt'`, and `iife` with `'autoUpdate'`. Each is built in
 * v1 and v2 once (e2e/helpers/recipe-app.ts keeps the builds), then deployed over one origin.
 * Needs `node scripts/build.mjs` first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { deploy, recipeApp, type RecipeVariant } from './helpers/recipe-app.ts';
import { startOrigin, type Origin } from './server/origin.mjs';

/** What src/main.ts fetches once the cache controls the page. */
const API = '/api/resource?cc=max-age%3D60';

const VARIANTS = [
  { format: 'es', registerType: 'prompt' },
  { format: 'iife', registerType: 'autoUpdate' },
] as const;

/** The Cache-Status the app printed for its own fetch of API. */
async function appCacheStatus(page: Page) {
  const status = page.locator('#status');
  // Under `vite dev` the worker and the page's modules are compiled on first request: on a busy
  // 2-core CI machine that once took more than 15 s (the page still said "Starting…").
  await expect(status).not.toHaveText('Starting…', { timeout: 45_000 });
  const text = (await status.textContent()) ?? '';
  expect(text, 'the Cache-Status of the API response, not an error').toMatch(/^sw-http-cache;/);
  return parseCacheStatus(text);
}

for (const { format, registerType } of VARIANTS) {
  test.describe(`vite-plugin-pwa injectManifest, ${format} worker, registerType '${registerType}'`, () => {
    const builds: Partial<Record<RecipeVariant['version'], string>> = {};
    let served = '';
    let origin: Origin;

    test.beforeAll(async () => {
      test.setTimeout(240_000);
      for (const version of ['v1', 'v2'] as const) {
        builds[version] = await recipeApp({ format, registerType, version });
      }
    });

    test.beforeEach(async () => {
      served = await mkdtemp(join(tmpdir(), 'sw-http-cache-recipe-served-'));
      await deploy(builds.v1 ?? '', served);
      origin = await startOrigin({ staticDir: served });
    });

    test.afterEach(async () => {
      await origin.close();
      await rm(served, { recursive: true, force: true });
    });

    test('a miss then a hit through the cache, and the shell offline', async ({ swContext }) => {
      const page = await swContext.newPage();
      await page.goto(`${origin.url}/`);
      expect(await appCacheStatus(page)).toMatchObject({ fwd: 'uri-miss', stored: true });
      const hit = await pageFetch(page, API);
      expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
      expect(origin.count(API)).toBe(1);

      origin.setOffline(true, { static: true });
      await page.reload();
      await expect(page.locator('#version')).toHaveText('v1'); // the precached shell
      expect(await appCacheStatus(page)).toMatchObject({ hit: true });
      expect(origin.count(API)).toBe(1);
    });

    test('an update from v1 to v2 keeps what v1 stored', async ({ swContext }) => {
      test.setTimeout(90_000);
      const page = await swContext.newPage();
      await page.goto(`${origin.url}/`);
      await appCacheStatus(page);
      const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
      expect(firstWorker).toBe(`${origin.url}/sw.js`);

      await deploy(builds.v2 ?? '', served);
      await page.reload(); // the navigation makes the browser look for a new worker
      if (registerType === 'prompt') {
        // The new worker is installed and waits; the page still runs v1 until the user agrees.
        await expect(page.locator('#update')).toBeVisible({ timeout: 20_000 });
        expect(
          await page.evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            return { waiting: registration?.waiting?.state, active: registration?.active?.state };
          }),
        ).toEqual({ waiting: 'installed', active: 'activated' });
        await expect(page.locator('#version')).toHaveText('v1');
        await page.locator('#update').click(); // posts { type: 'SKIP_WAITING' }, then reloads
        await expect(page.locator('#version')).toHaveText('v2', { timeout: 20_000 });
      } else {
        // The new worker activates and claims the page by itself, and registerSW reloads it.
        // Under load Firefox can finish the update before the page listens (then nothing
        // reloads it): the next navigation shows v2 all the same (a reload alone never
        // activates a waiting worker), so navigate again.
        await expect(async () => {
          if ((await page.locator('#version').textContent()) !== 'v2') {
            await page.reload().catch(() => undefined); // may meet registerSW's own reload
          }
          await expect(page.locator('#version')).toHaveText('v2', { timeout: 8_000 });
        }).toPass({ timeout: 40_000, intervals: [2_000] });
      }
      expect(await appCacheStatus(page)).toMatchObject({ hit: true });
      expect(origin.count(API)).toBe(1);
      expect(
        await page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return registration?.waiting ?? null;
        }),
      ).toBeNull();
    });
  });
}

test('vite dev with devOptions: the module worker serves /api/ through the cache', async ({
  swContext,
  origin,
}) => {
  test.setTimeout(120_000);
  const app = await recipeApp({ format: 'es', registerType: 'prompt', version: 'v1' });
  const { createServer } = await import('vite');
  // The recipe's config as it is, plus a proxy to the test origin for /api/.
  const server = await createServer({
    root: app,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, proxy: { '/api': origin.url } },
  });
  await server.listen();
  try {
    const url = server.resolvedUrls?.local[0] ?? '';
    const page = await swContext.newPage();
    await page.goto(url);
    expect(await appCacheStatus(page)).toMatchObject({ fwd: 'uri-miss', stored: true });
    const hit = await pageFetch(page, API);
    expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
  } finally {
    await server.close();
  }
});
