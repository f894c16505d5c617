/**
 * The README's own files (e2e/helpers/readme-snippets.ts), run as written: the app built by
 * another bundler with its `build` script, the Workbox worker, the site without a bundler (its
 * import map, the prebuilt worker loaded with `importScripts` and as a module) and the tour of
 * the page API. Needs `node scripts/build.mjs` first.
 */
import { symlink, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { readmeFile } from './helpers/readme-snippets.ts';
import { expectMissThenHit } from './helpers/miss-then-hit.ts';
import { REPO_ROOT, cachedApp, replaceOnce, run, writeFiles } from './helpers/recipe-app.ts';
import { startOrigin, type Origin } from './server/origin.mjs';
import type * as Client from '../src/client/index.ts';

/** What the page imports as `sw-http-cache` through its import map. */
type ClientModule = typeof Client;

/** A miss, then a hit, for a fresh URL of the test origin, through whatever controls `page`. */
async function missThenHit(page: Page, origin: Origin, id: string): Promise<string> {
  const path = `/api/resource?cc=max-age%3D60&id=${id}`;
  await expectMissThenHit(page, origin, path);
  return path;
}

async function controlled(page: Page): Promise<string | undefined> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
}

test.describe('README: another bundler, and Workbox', () => {
  let dist = '';
  let origin: Origin;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const buildSw = await readmeFile('readme/bundler/build-sw.mjs');
    const files = new Map([
      ['package.json', await readmeFile('readme/bundler/package.json')],
      ['sw.ts', await readmeFile('readme/bundler/sw.ts')],
      ['build-sw.mjs', buildSw],
      ['main.ts', await readmeFile('readme/bundler/main.ts')],
      [
        'index.html',
        '<!doctype html><title>app</title><script type="module" src="/main.ts"></script>',
      ],
      ['public/blank.html', '<!doctype html><title>blank</title>'],
      // The Workbox worker, built the way the README builds sw.ts.
      ['workbox-sw.ts', await readmeFile('readme/workbox/sw.ts')],
      [
        'build-workbox-sw.mjs',
        replaceOnce(
          replaceOnce(buildSw, "entry: 'sw.ts'", "entry: 'workbox-sw.ts'", 'build-sw.mjs'),
          "fileName: () => 'sw.js'",
          "fileName: () => 'workbox-sw.js'",
          'build-sw.mjs',
        ),
      ],
    ]);
    const app = await cachedApp('readme-bundler', files, async (dir) => {
      await run('npm', ['run', '--silent', 'build'], { cwd: dir });
      await run(process.execPath, ['build-workbox-sw.mjs'], { cwd: dir });
    });
    dist = join(app, 'dist');
  });

  test.beforeEach(async () => {
    origin = await startOrigin({ staticDir: dist });
  });
  test.afterEach(async () => {
    await origin.close();
  });

  test('the page registers the worker built by `npm run build`: a miss, then a hit', async ({
    swContext,
  }) => {
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/`);
    expect(await controlled(page)).toBe(`${origin.url}/sw.js`);
    await missThenHit(page, origin, 'bundler');
  });

  test('the Workbox worker routes GET, HEAD and POST to HttpCacheHandler', async ({
    swContext,
  }) => {
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/blank.html`);
    await page.evaluate(() => navigator.serviceWorker.register('/workbox-sw.js').then(() => {}));
    expect(await controlled(page)).toBe(`${origin.url}/workbox-sw.js`); // clientsClaim()
    const path = await missThenHit(page, origin, 'workbox');

    const head = await pageFetch(page, path, { init: { method: 'HEAD' } });
    expect(parseCacheStatus(head.headers['cache-status']).hit).toBe(true);
    expect(head.bodySize).toBe(0);

    const post = await pageFetch(page, path, { init: { method: 'POST', body: 'x' } });
    expect(parseCacheStatus(post.headers['cache-status']).fwd).toBe('method');
    const after = await pageFetch(page, path);
    expect(parseCacheStatus(after.headers['cache-status']).fwd).toBe('uri-miss');
    expect(origin.requests(path).map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
  });
});

test.describe('README: without a bundler', () => {
  let site = '';
  let origin: Origin;

  test.beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), 'sw-http-cache-readme-site-'));
    const index = await readmeFile('readme/no-bundler/index.html');
    const importMap = /<script type="importmap">[\s\S]*?<\/script>/.exec(index)?.[0];
    expect(importMap).toBeDefined();
    await writeFiles(
      site,
      new Map([
        ['index.html', index],
        ['blank.html', importMap ?? ''], // the import map, without the registration
        ['sw.js', await readmeFile('readme/no-bundler/sw.js')],
        ['sw.mjs', await readmeFile('readme/no-bundler/sw.mjs')],
        // The tour has no type annotations: as written, it is JavaScript too.
        ['api-tour.js', await readmeFile('readme/api-tour.ts')],
        // Likewise the inspector's snippet.
        ['inspector.js', await readmeFile('readme/inspector.ts')],
        // Not from the README: a worker that never claims its pages (the error test below).
        [
          'no-claim-sw.js',
          "importScripts('/node_modules/sw-http-cache/dist/worker/sw-http-cache.js');\n" +
            'swHttpCache.installHttpCache({ clientsClaim: false });\n',
        ],
        // Nor this: the prebuilt worker with every feature off, so without the control endpoint.
        [
          'no-control-sw.js',
          "importScripts('/node_modules/sw-http-cache/dist/worker/sw-http-cache.js');\n" +
            'swHttpCache.installHttpCache({ routes: /\\/api\\//, features: [] });\n',
        ],
      ]),
    );
    // What `npm install sw-http-cache` puts where the import map and importScripts look.
    await writeFiles(site, new Map([['node_modules/.keep', '']]));
    await symlink(REPO_ROOT, join(site, 'node_modules/sw-http-cache'));
    await symlink(join(REPO_ROOT, 'node_modules/comlink'), join(site, 'node_modules/comlink'));
  });

  test.afterAll(async () => {
    await rm(site, { recursive: true, force: true });
  });

  test.beforeEach(async () => {
    origin = await startOrigin({ staticDir: site });
  });
  test.afterEach(async () => {
    await origin.close();
  });

  async function openIndex(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin.url}/index.html`);
    expect(await controlled(page)).toBe(`${origin.url}/sw.js`);
    return page;
  }

  test('the importScripts worker: a miss, then a hit', async ({ swContext }) => {
    const page = await openIndex(swContext);
    await missThenHit(page, origin, 'classic');
  });

  test('registerHttpCache finds that sw.mjs is a module worker', async ({ swContext }) => {
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/blank.html`);
    const scriptURL = await page.evaluate(async () => {
      const specifier = 'sw-http-cache'; // resolved by the page's import map
      const { registerHttpCache } = (await import(specifier)) as ClientModule;
      const cache = await registerHttpCache({ scriptURL: '/sw.mjs' });
      return cache.registration.active?.scriptURL;
    });
    expect(scriptURL).toBe(`${origin.url}/sw.mjs`);
    expect(await controlled(page)).toBe(`${origin.url}/sw.mjs`);
    await missThenHit(page, origin, 'module');
  });

  test('registerHttpCache rejects naming clients.claim() when the worker never claims the page', async ({
    swContext,
  }) => {
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/blank.html`);
    const error = await page.evaluate(async () => {
      const specifier = 'sw-http-cache';
      const { registerHttpCache } = (await import(specifier)) as ClientModule;
      // Installed and active first, so the deadline below can only meet an unclaimed page.
      await navigator.serviceWorker.register('/no-claim-sw.js');
      await navigator.serviceWorker.ready;
      return registerHttpCache({ scriptURL: '/no-claim-sw.js', timeout: 1_000 }).then(
        () => 'resolved',
        (reason: unknown) => String(reason),
      );
    });
    expect(error).toMatch(
      /after 1000 ms: the worker of .* is active but has not claimed this page/,
    );
    expect(error).toContain('clients.claim()');
  });

  test("connectHttpCache gets a page claimed that was still loading at the worker's activation", async ({
    swContext,
  }) => {
    // The late page's navigation is held until the worker has activated and claimed the pages
    // it found: a document still loading then is skipped by clients.claim() and stays
    // uncontrolled (vite dev's reload after it bundles the app's dependencies does this).
    const late = await swContext.newPage();
    let requested = (): void => {};
    const navigationRequested = new Promise<void>((resolve) => (requested = resolve));
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await late.route('**/blank.html', async (route) => {
      requested();
      await released;
      await route.continue();
    });
    const navigation = late.goto(`${origin.url}/blank.html`);
    await navigationRequested;

    const first = await swContext.newPage();
    await first.goto(`${origin.url}/blank.html`);
    await first.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js');
    });
    expect(await controlled(first)).toBe(`${origin.url}/sw.js`);
    release();
    await navigation;
    await late.unroute('**/blank.html');
    // What this test is about: the activation's claim missed this page.
    expect(await late.evaluate(() => navigator.serviceWorker.controller)).toBeNull();

    const scriptURL = await late.evaluate(async () => {
      const specifier = 'sw-http-cache';
      const { connectHttpCache } = (await import(specifier)) as ClientModule;
      const cache = await connectHttpCache({ timeout: 10_000 });
      cache.close();
      return navigator.serviceWorker.controller?.scriptURL;
    });
    expect(scriptURL).toBe(`${origin.url}/sw.js`);
    await missThenHit(late, origin, 'claimed-late');
  });

  test('the page API rejects at once, saying what to add, when the worker has no control endpoint', async ({
    swContext,
  }) => {
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/blank.html`);
    const outcome = await page.evaluate(async () => {
      const specifier = 'sw-http-cache';
      const { registerHttpCache, WorkerUnavailableError } = (await import(
        specifier
      )) as ClientModule;
      // A timeout far beyond the test's: only the worker's refusal can settle the call in time.
      const cache = await registerHttpCache({ scriptURL: '/no-control-sw.js', timeout: 60_000 });
      return cache.stats().then(
        () => 'resolved',
        (reason: unknown) =>
          `${reason instanceof WorkerUnavailableError ? 'unavailable' : 'refused'}: ${String(reason)}`,
      );
    });
    expect(outcome).toMatch(
      /^refused: Error: sw-http-cache: this service worker has no control endpoint/,
    );
    expect(outcome).toContain('features: [controlEndpoint()]');
    // It is still the cache: requests go through it.
    await missThenHit(page, origin, 'no-control');
  });

  test('the tour of the page API runs', async ({ swContext }) => {
    const page = await openIndex(swContext);
    const logged: string[] = [];
    page.on('console', (message) => logged.push(message.text()));
    await missThenHit(page, origin, 'tour');
    await page.evaluate(async () => {
      const tour = '/api-tour.js';
      await import(tour);
    });
    // stats() and entries() were printed; clear() emptied the cache.
    expect(logged.length).toBeGreaterThanOrEqual(2);
    const after = await pageFetch(page, '/api/resource?cc=max-age%3D60&id=tour');
    expect(parseCacheStatus(after.headers['cache-status']).fwd).toBe('uri-miss');
  });

  test('the inspector snippet shows the stored entries', async ({ swContext }) => {
    const page = await openIndex(swContext);
    await missThenHit(page, origin, 'inspected');
    await page.evaluate(async () => {
      const snippet = '/inspector.js';
      await import(snippet);
    });
    // Playwright's locators reach into the element's shadow root.
    await expect(page.locator('http-cache-inspector #entries tbody tr')).toHaveCount(1);
    await expect(page.locator('http-cache-inspector #entries tbody tr')).toContainText(
      'id=inspected',
    );
  });
});
