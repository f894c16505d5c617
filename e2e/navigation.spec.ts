/**
 * Navigations through the cache: an HTML document is stored, revalidated with a conditional
 * request and served from the store when the origin cannot be reached where its directives
 * allow (`stale-if-error`; never for `no-cache`). With `navigationPreload`, the request the
 * browser sends while the worker starts answers a navigation that misses or must revalidate,
 * and no second request follows; a browser without navigation preload makes its own request.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import type { Origin } from './server/origin.mjs';

const PRELOAD_HEADER = 'service-worker-navigation-preload';

/** An HTML document of the test origin (under /api/, which the demo worker routes). */
function documentPath(id: string, cacheControl: string): string {
  const query = new URLSearchParams({
    ctype: 'text/html; charset=utf-8',
    cc: cacheControl,
    etag: id,
    id,
  });
  return `/api/resource?${query.toString()}`;
}

/** Navigates to `path`; resolves with the document's text (the origin numbers its answers). */
async function open(page: Page, origin: Origin, path: string): Promise<string> {
  await page.goto(`${origin.url}${path}`);
  return (await page.locator('body').textContent()) ?? '';
}

test('a navigation is stored, then revalidated with a conditional request and served from the store', async ({
  swPage,
  origin,
}) => {
  const path = documentPath('doc', 'no-cache');
  expect(await open(swPage, origin, path)).toContain('origin response #1');
  expect(await open(swPage, origin, path)).toContain('origin response #1'); // the 304 kept it
  const [first, second] = origin.requests(path);
  expect(first?.headers['if-none-match']).toBeUndefined();
  expect(second?.headers['if-none-match']).toBe('"doc"');
  expect(origin.count(path)).toBe(2);
});

test('the origin unreachable: a navigation is served from the store only where its directives allow', async ({
  swPage,
  origin,
}) => {
  const allowed = documentPath('sie', 'max-age=0, stale-if-error=600');
  const forbidden = documentPath('nc', 'no-cache');
  expect(await open(swPage, origin, allowed)).toContain('origin response #1');
  expect(await open(swPage, origin, forbidden)).toContain('origin response #1');
  origin.setOffline(true);
  expect(await open(swPage, origin, allowed)).toContain('origin response #1');
  // no-cache: never without a successful revalidation (RFC 9111 §5.2.2.4), so a network error.
  await expect(swPage.goto(`${origin.url}${forbidden}`)).rejects.toThrow();
});

test('navigation preload answers a navigation that misses or must revalidate, with no second request', async ({
  swPage,
  origin,
}) => {
  await useWorkerOptions(swPage, { navigationPreload: true });
  const preloadState = () =>
    swPage.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return 'navigationPreload' in registration
        ? (await registration.navigationPreload.getState()).enabled
        : undefined;
    });
  const state = await preloadState();
  test.info().annotations.push({
    type: 'navigation preload',
    description: state === undefined ? 'not in this browser' : 'supported',
  });
  const revalidated = documentPath('pre', 'no-cache');
  const fresh = documentPath('fresh', 'max-age=60');
  const preloaded = (path: string) =>
    origin.requests(path).map((request) => request.headers[PRELOAD_HEADER] ?? 'own request');

  if (state === undefined) {
    // No navigation preload in this browser: the option changes nothing, navigations still
    // go through the cache with requests of their own.
    expect(await open(swPage, origin, revalidated)).toContain('origin response #1');
    expect(await open(swPage, origin, revalidated)).toContain('origin response #1');
    expect(preloaded(revalidated)).toEqual(['own request', 'own request']);
    expect(origin.requests(revalidated)[1]?.headers['if-none-match']).toBe('"pre"');
    return;
  }
  // The worker switches preload on while it activates, which may end after it claimed the page.
  await expect.poll(preloadState).toBe(true);
  // A miss: the preload is the only request, and what it brought is stored.
  expect(await open(swPage, origin, fresh)).toContain('origin response #1');
  expect(preloaded(fresh)).toEqual(['true']);
  // A fresh hit: served from the store (the browser still sends its preload, which is dropped).
  expect(await open(swPage, origin, fresh)).toContain('origin response #1');
  // A revalidation: the preload's answer stands for our conditional request, which is never
  // sent. (The preload goes through the browser's own HTTP cache, which may revalidate its copy
  // with a conditional request of its own: the origin's answer is the same document either way.)
  expect(await open(swPage, origin, revalidated)).toContain('origin response #1');
  expect(await open(swPage, origin, revalidated)).toContain('origin response #1');
  expect(preloaded(revalidated)).toEqual(['true', 'true']);
});
