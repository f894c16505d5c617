/**
 * sw-http-cache as a `workbox-routing` route handler: a Workbox worker (demo/workbox-sw.ts)
 * hands `/api/` to `HttpCacheHandler`; requests get RFC 9111 caching and invalidation there, and
 * the page's control client, which that worker does not offer (no `controlEndpoint()`), is
 * refused at once.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { loadClientModule, type ClientModule } from './helpers/control-client.ts';
import { expectMissThenHit } from './helpers/miss-then-hit.ts';
import { pageFetch } from './helpers/page-fetch.ts';

async function openWorkboxPage(context: BrowserContext, originUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${originUrl}/e2e/workbox.html`);
  await page.evaluate(() => window.swReady);
  return page;
}

test('a Workbox route answered by HttpCacheHandler: miss, then hit', async ({
  swContext,
  origin,
}) => {
  const page = await openWorkboxPage(swContext, origin.url);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
    `${origin.url}/workbox-sw.js`,
  );
  const { miss, hit } = await expectMissThenHit(
    page,
    origin,
    '/api/resource?cc=max-age%3D60&etag=w1',
  );
  expect(hit.bodyText).toBe(miss.bodyText);
});

test('a POST through the Workbox route invalidates the cached GET', async ({
  swContext,
  origin,
}) => {
  const page = await openWorkboxPage(swContext, origin.url);
  const path = '/api/resource?cc=max-age%3D60';
  await pageFetch(page, path);
  const post = await pageFetch(page, path, { init: { method: 'POST', body: 'change' } });
  expect(post.status).toBe(200);
  expect(parseCacheStatus(post.headers['cache-status']).fwd).toBe('method');
  const after = await pageFetch(page, path);
  expect(parseCacheStatus(after.headers['cache-status']).fwd).toBe('uri-miss');
  expect(origin.requests(path).map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
});

test('a HEAD through the Workbox route is answered from the stored GET', async ({
  swContext,
  origin,
}) => {
  const page = await openWorkboxPage(swContext, origin.url);
  const path = '/api/resource?cc=max-age%3D60&id=head';
  await pageFetch(page, path);
  const head = await pageFetch(page, path, { init: { method: 'HEAD' } });
  expect(head.status).toBe(200);
  expect(parseCacheStatus(head.headers['cache-status']).hit).toBe(true);
  expect(origin.requests(path).map((r) => r.method)).toEqual(['GET']);
});

test('the page client is refused at once: the Workbox worker has no controlEndpoint()', async ({
  swContext,
  origin,
}) => {
  const page = await openWorkboxPage(swContext, origin.url);
  await loadClientModule(page);
  const outcome = await page.evaluate(async () => {
    const api = (window as unknown as { swHttpCacheClient: ClientModule }).swHttpCacheClient;
    // A timeout far beyond the test's: only the worker's refusal can settle the call in time.
    const cache = await api.connectHttpCache({ timeout: 60_000 });
    return cache.stats().then(
      () => 'resolved',
      (reason: unknown) =>
        `${reason instanceof api.WorkerUnavailableError ? 'unavailable' : 'refused'}: ${String(reason)}`,
    );
  });
  expect(outcome).toMatch(
    /^refused: Error: sw-http-cache: this service worker has no control endpoint/,
  );
  expect(outcome).toContain('features: [controlEndpoint()]');
});
