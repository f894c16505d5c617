/**
 * Security (issue 8), origins: opaque or redirected cross-origin responses are never stored, and a
 * cross-origin route keeps each origin's responses under their own URL.
 * Unit level: cross-origin routes and opaque responses (src/sw/cross-origin.test.ts).
 *
 * Each test checks storage itself (the worker's IndexedDB, read from a page), what the page was
 * served byte for byte, what reached the origin, and that the worker recorded no uncaught error
 * (`expectNoWorkerFaults`). The figures each test reports go to docs/RELIABILITY.md (Security).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { readCacheDb } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { chunksContaining } from './helpers/stored-bytes-scan.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import process from 'node:process';
import { startOrigin } from './server/origin.mjs';
import { marker, report, SECURITY_TIMEOUT, storedPaths } from './helpers/security.ts';

test.setTimeout(SECURITY_TIMEOUT);

/** The test origin's static directory, as the fixture uses it (for a second origin). */
const STATIC_DIR = process.env.SW_HTTP_CACHE_E2E_STATIC_DIR ?? 'dist-demo';

/** Fetches `url` from the page with `init` and reports the response type and body text. */
function typedFetch(
  page: Page,
  url: string,
  init: RequestInit,
): Promise<{ type: string; status: number; text: string; cacheStatus: string | null }> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return {
        type: response.type,
        status: response.status,
        text: await response.text(),
        cacheStatus: response.headers.get('cache-status'),
      };
    },
    { url, init },
  );
}

test.describe('cross-origin and opaque responses', () => {
  test('the demo worker stores neither an opaque nor a redirected cross-origin response', async ({
    swPage,
    origin,
  }, testInfo) => {
    const other = await startOrigin({ staticDir: STATIC_DIR });
    try {
      const body = marker('opaque');
      const target = `${other.url}${apiUrl('/api/resource', {
        cc: 'max-age=600',
        body,
        h: 'access-control-allow-origin:*',
      })}`;
      // Not routed (the demo routes same-origin /api/ only): the browser fetches it itself.
      const direct = await typedFetch(swPage, target, { mode: 'no-cors' });
      expect(direct).toMatchObject({ type: 'opaque', status: 0, text: '' });
      // Routed: a same-origin URL that redirects to the other origin; the worker fetches it.
      const redirect = apiUrl('/api/resource', {
        status: 302,
        cc: 'max-age=600',
        h: `location:${target}`,
      });
      let answers = 1;
      for (let round = 1; round <= 2; round++) {
        const opaque = await typedFetch(swPage, redirect, { mode: 'no-cors' });
        expect(opaque).toMatchObject({ type: 'opaque', status: 0, text: '' });
        const cors = await typedFetch(swPage, redirect, { mode: 'cors' });
        // The worker answers with a response of its own (headers it could read, Cache-Status
        // added), which the page sees as `basic`.
        expect(cors).toMatchObject({ status: 200, text: body });
        expect(parseCacheStatus(cors.cacheStatus)).toMatchObject({ hit: false, stored: false });
        answers += 2;
        expect(origin.count(redirect)).toBe(round * 2);
      }
      const stored = await storedPaths(swPage);
      expect(stored.filter((path) => path.includes(other.url) || path === redirect)).toEqual([]);
      expect(await chunksContaining(swPage, [body])).toEqual([0]);
      await expectNoWorkerFaults(swPage);
      report(testInfo, { answers, stored: 0 });
    } finally {
      await other.close();
    }
  });

  test('a cross-origin route (Workbox worker) stores a CORS response under its own URL, never an opaque one', async ({
    swContext,
    origin,
  }, testInfo) => {
    // demo/workbox-sw.ts routes `/api/` of every origin to HttpCacheHandler: the configuration a
    // user writes to cache another origin's API. (That worker has no fault log.)
    const page = await swContext.newPage();
    await page.goto(`${origin.url}/e2e/workbox.html`);
    await page.evaluate(() => window.swReady);
    const other = await startOrigin({ staticDir: STATIC_DIR });
    try {
      const opaquePath = apiUrl('/api/resource', { cc: 'max-age=600', body: marker('no-cors') });
      const corsPath = apiUrl('/api/resource', {
        cc: 'max-age=600',
        h: 'access-control-allow-origin:*',
      });
      for (let round = 1; round <= 2; round++) {
        const opaque = await typedFetch(page, other.url + opaquePath, { mode: 'no-cors' });
        expect(opaque).toMatchObject({ type: 'opaque', text: '' });
        expect(other.count(opaquePath)).toBe(round);
        const cors = await typedFetch(page, other.url + corsPath, { mode: 'cors' });
        expect(cors.text).toBe(`origin response #1 for ${corsPath}`);
        expect(parseCacheStatus(cors.cacheStatus).hit).toBe(round === 2);
      }
      expect(other.count(corsPath)).toBe(1);
      // The same path and query on the page's own origin is another key: its own origin answers.
      const own = await typedFetch(page, corsPath, {});
      expect(parseCacheStatus(own.cacheStatus)).toMatchObject({ hit: false, fwd: 'uri-miss' });
      expect(origin.count(corsPath)).toBe(1);
      const stored = (await readCacheDb(page, 'sw-http-cache-workbox')).metas.map((m) => m.primary);
      expect(stored.sort()).toEqual([other.url + corsPath, origin.url + corsPath].sort());
      report(testInfo, { opaqueFetched: 2, opaqueStored: 0, corsStored: 1 });
    } finally {
      await other.close();
    }
  });
});
