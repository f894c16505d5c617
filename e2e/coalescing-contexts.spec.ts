/**
 * One download across *contexts*: two service workers of one origin (two registrations with
 * different scopes: two separate worker instances sharing the origin's IndexedDB and Web Locks).
 * The worker that downloads holds the cross-context write lock and stores the body in IndexedDB
 * chunk by chunk; the other worker's request follows those chunks as they land (a writer Web Lock
 * per write, progress in the meta record, `<name>:writes` notifications), ends exactly when the
 * write ends, and fails (never a short body) when the writer's context dies.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { stopServiceWorker } from './helpers/stop-service-workers.ts';
import {
  settledStreamedFetches,
  startStreamedFetches,
  streamedFetchStates,
  waitForReceived,
} from './helpers/streamed-fetch.ts';
import { deterministicSlice } from './server/origin.mjs';
import type { Origin } from './server/origin.mjs';

/** IndexedDB stores bodies in chunks of this size (the default `storage.chunkSize`). */
const IDB_CHUNK = 256 * 1024;
/** The second registration's scope: a prefix only `/e2e/blank.html?second…` matches. */
const SECOND_SCOPE = '/e2e/blank.html?second';

function slowResource(id: string, chunks: number, chunkSize = IDB_CHUNK) {
  const path = `/api/slow?id=${id}&chunks=${chunks}&chunkSize=${chunkSize}`;
  const body = deterministicSlice(path, 0, chunks * chunkSize);
  return {
    id,
    path,
    size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

/**
 * Registers `/sw.js` a second time, for {@link SECOND_SCOPE}, and opens a tab that this second
 * worker controls: a context of its own, not the one controlling `page`.
 */
async function openSecondWorkerTab(page: Page, originUrl: string): Promise<Page> {
  await page.evaluate(async (scope) => {
    const registration = await navigator.serviceWorker.register('/sw.js', { scope });
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    if (worker !== null && worker.state !== 'activated') {
      await new Promise<void>((resolve) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
        });
      });
    }
  }, SECOND_SCOPE);
  const tab = await page.context().newPage();
  await tab.goto(`${originUrl}${SECOND_SCOPE}=1`);
  await tab.evaluate(() => window.swReady);
  const scopes = await Promise.all(
    [page, tab].map((p) =>
      p.evaluate(async () =>
        (await navigator.serviceWorker.ready).scope.replace(location.origin, ''),
      ),
    ),
  );
  expect(scopes, 'the two tabs are controlled by two different workers').toEqual([
    '/',
    SECOND_SCOPE,
  ]);
  return tab;
}

/**
 * The first worker (the tab `page`) starts downloading `resource`; once its first IndexedDB chunk
 * is stored, a tab of the second worker requests it too and has read that chunk: the origin still
 * holds back the rest. Returns that tab and both fetches' ids.
 */
async function followFromSecondWorker(
  page: Page,
  origin: Origin,
  resource: { id: string; path: string },
) {
  const otherTab = await openSecondWorkerTab(page, origin.url);
  const writer = await startStreamedFetches(page, resource.path);
  await origin.waitFor(resource.path);
  origin.release(resource.id, 1);
  await waitForReceived(page, writer, IDB_CHUNK);
  const reader = await startStreamedFetches(otherTab, resource.path);
  // Ordering, not timing: the other worker reads the stored chunk before the rest exists.
  await waitForReceived(otherTab, reader, IDB_CHUNK);
  return { otherTab, writer, reader };
}

test('a worker follows another worker’s IndexedDB write as it lands: one download', async ({
  swPage,
  origin,
}) => {
  const resource = slowResource('contexts', 3);
  const { otherTab, writer, reader } = await followFromSecondWorker(swPage, origin, resource);
  const [midway] = await streamedFetchStates(otherTab, reader);
  expect(midway?.done).toBe(false);
  expect(parseCacheStatus(midway?.headers?.['cache-status']).hit).toBe(true);
  expect(midway?.headers?.['cache-status']).toContain('composition.idb');
  expect(origin.count('/api/slow')).toBe(1);

  origin.release('contexts');
  for (const [tab, ids] of [
    [swPage, writer],
    [otherTab, reader],
  ] as const) {
    const [state] = await settledStreamedFetches(tab, ids);
    expect(state?.error).toBeUndefined();
    expect(state?.done).toBe(true);
    expect(state?.received).toBe(resource.size);
    expect(state?.sha256).toBe(resource.sha256);
  }
  expect(origin.count('/api/slow')).toBe(1);
});

test('the writing worker stops mid-body: the other worker’s reader fails, never a short body', async ({
  swPage,
  origin,
  browserName,
}) => {
  test.skip(browserName === 'firefox', 'stopping one service worker needs the DevTools protocol');
  const resource = slowResource('writer-dies', 3);
  const { otherTab, reader } = await followFromSecondWorker(swPage, origin, resource);

  await stopServiceWorker(swPage, `${origin.url}/`);
  const [followed] = await settledStreamedFetches(otherTab, reader);
  expect(followed?.done, 'the follower never ends as if the body were whole').toBe(false);
  expect(followed?.error).toBeDefined();

  // The next request is answered whole (by a new download, the stopped write is never served).
  origin.release('writer-dies');
  const again = await pageFetch(otherTab, resource.path, { as: 'sha256' });
  expect(again.status).toBe(200);
  expect(again.sha256).toBe(resource.sha256);
});

test('a body that lands in one transaction: the other worker waits for it whole, one download', async ({
  swPage,
  origin,
}) => {
  // Declared smaller than a chunk: the writer does not register it for following (nothing to
  // follow before its one transaction), and holds the key's Web Lock until it is stored.
  const small = slowResource('one-transaction', 1, 1000);
  const otherTab = await openSecondWorkerTab(swPage, origin.url);
  const writer = await startStreamedFetches(swPage, small.path);
  await origin.waitFor(small.path);
  const reader = await startStreamedFetches(otherTab, small.path);
  // Ordering, not timing: the other worker queues for the writer's Web Lock on the key (a wait
  // bound for a worker that starts slowly under load, not a measurement).
  await expect
    .poll(
      () =>
        otherTab.evaluate(
          async () =>
            (await navigator.locks.query()).pending?.filter((lock) =>
              lock.name?.startsWith('sw-http-cache:'),
            ).length ?? 0,
        ),
      { timeout: 20_000 },
    )
    .toBe(1);

  origin.release('one-transaction');
  const states = [
    ...(await settledStreamedFetches(swPage, writer)),
    ...(await settledStreamedFetches(otherTab, reader)),
  ];
  for (const state of states) {
    expect(state?.error).toBeUndefined();
    expect(state?.received).toBe(small.size);
    expect(state?.sha256).toBe(small.sha256);
  }
  expect(parseCacheStatus(states[1]?.headers?.['cache-status']).hit).toBe(true);
  expect(origin.count('/api/slow')).toBe(1);
});
