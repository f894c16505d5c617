/**
 * What WebKit (WebKitGTK's MiniBrowser over WebDriver, the engine of Safari) does differently,
 * each pinned by a test so that a change in WebKit shows up here: the README's browser table
 * lists them. Runs in the `webkit` project only (playwright.config.ts).
 */
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { readCacheDb } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openControlClient } from './helpers/control-client.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('a browser restart starts empty: an automation session keeps no storage', async ({
  origin,
  webkitServer,
}) => {
  // MiniBrowser's --automation mode runs on an ephemeral data store and takes no profile
  // directory, so the on-disk restart of storage-persistence.spec.ts cannot run in WebKit; a
  // worker update (worker-update.spec.ts) is WebKit's restart test instead.
  const path = apiUrl('/api/resource', { cc: 'max-age=600', id: 'restart' });
  for (const expected of [1, 2]) {
    const context = await webkitServer!.newContext();
    try {
      const page = await openControlledPage(context as unknown as BrowserContext, origin.url);
      const answer = await pageFetch(page, path);
      expect(parseCacheStatus(answer.headers['cache-status'])).toMatchObject({
        hit: false,
        fwd: 'uri-miss',
        stored: true,
      });
      expect(answer.bodyText).toBe(`origin response #${expected} for ${path}`);
      // Stored in IndexedDB before the browser goes: only the session's end loses it.
      await expect
        .poll(async () => (await readCacheDb(page)).metas.filter((m) => m.complete === 1).length)
        .toBe(1);
    } finally {
      await context.close();
    }
  }
  expect(origin.count(path)).toBe(2);
});

test('WebKitGTK has no navigator.storage: the budget is the 100 MiB fallback', async ({
  swPage,
}) => {
  expect(await swPage.evaluate(() => typeof navigator.storage)).toBe('undefined');
  await openControlClient(swPage);
  const { budget } = await swPage.evaluate(() => window.httpCache!.stats());
  expect(budget.maxBytes).toBe(100 * 1024 * 1024);
});

test('IndexedDB refuses Blob values in this session; bytes are stored', async ({ swPage }) => {
  // As in Safari's Private Browsing: WebKit's ephemeral IndexedDB has nowhere to put a Blob's
  // file. The cache stores every chunk as bytes where a Blob is refused (src/storage).
  const outcomes = await swPage.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('blob-probe', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('values');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    const put = (value: unknown) =>
      new Promise<string>((resolve) => {
        const tx = db.transaction('values', 'readwrite');
        tx.objectStore('values').put(value, 'key');
        tx.oncomplete = () => resolve('stored');
        tx.onabort = () => resolve(`${tx.error?.name}: ${tx.error?.message}`);
      });
    const bytes = new Uint8Array(300_000).fill(7);
    const result = { blob: await put(new Blob([bytes])), bytes: await put(bytes) };
    db.close();
    return result;
  });
  expect(outcomes).toEqual({
    blob: 'UnknownError: Error preparing Blob/File data to be stored in object store',
    bytes: 'stored',
  });
});
