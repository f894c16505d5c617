import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Rolldown } from 'vite';
import type { Page } from '@playwright/test';
import type { HttpCacheClient } from '../../src/client/index.ts';
import type * as Client from '../../src/client/index.ts';

declare global {
  interface Window {
    /** Set by {@link openControlClient}: the page API of the worker controlling the page. */
    httpCache?: HttpCacheClient;
  }
}

const CLIENT_ENTRY = fileURLToPath(new URL('../../src/client/index.ts', import.meta.url));

/** What the bundle's global, `window.swHttpCacheClient`, exposes: `sw-http-cache`'s names. */
export type ClientModule = typeof Client;

let bundle: Promise<string> | undefined;

/**
 * The page API (src/client, comlink included) as one classic script that defines the global
 * `swHttpCacheClient`. Built once per test process, in memory, in a few hundred ms: the fixture
 * page (e2e/fixtures/blank.html) loads no library code, and the demo app keeps its client private.
 */
function clientBundle(): Promise<string> {
  bundle ??= build({
    logLevel: 'warn',
    configFile: false,
    build: {
      write: false,
      minify: false,
      lib: {
        entry: CLIENT_ENTRY,
        formats: ['iife'],
        name: 'swHttpCacheClient',
        fileName: () => 'client.js',
      },
    },
  }).then((result) => {
    const [output] = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunk = output?.output[0];
    if (chunk?.type !== 'chunk') throw new Error('control-client: vite produced no script');
    return chunk.code;
  });
  return bundle;
}

/**
 * Loads the page API into `page` and sets `window.httpCache` to
 * `await registerHttpCache({ scriptURL })`. Pass the script URL the page's worker was
 * registered with (e.g. from `useWorkerOptions`), so registering again changes nothing.
 */
export async function openControlClient(page: Page, scriptURL = '/sw.js'): Promise<void> {
  await loadClientModule(page);
  await page.evaluate(async (scriptURL) => {
    const api = (window as unknown as { swHttpCacheClient: ClientModule }).swHttpCacheClient;
    window.httpCache = await api.registerHttpCache({ scriptURL });
  }, scriptURL);
}

/** Loads the page API into `page` as the global `swHttpCacheClient` ({@link ClientModule}). */
export async function loadClientModule(page: Page): Promise<void> {
  await page.addScriptTag({ content: await clientBundle() });
}
