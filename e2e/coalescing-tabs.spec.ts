/**
 * "One download however many tabs ask": every tab of an origin shares one service worker, so
 * concurrent misses of one resource meet in the worker's cache lock, and the readers follow the
 * writer's body as it lands in memory (streaming partial write). Every test also checks what the
 * origin saw.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import {
  settledStreamedFetches,
  startStreamedFetches,
  streamedFetchStates,
  waitForReceived,
  type StreamedFetchState,
} from './helpers/streamed-fetch.ts';
import { deterministicSlice } from './server/origin.mjs';
import type { Origin } from './server/origin.mjs';

/** A `/api/slow` resource: its path and the SHA-256 of the whole body the origin sends. */
function slowResource(id: string, chunks: number, chunkSize: number) {
  const path = `/api/slow?id=${id}&chunks=${chunks}&chunkSize=${chunkSize}`;
  const body = deterministicSlice(path, 0, chunks * chunkSize);
  return { id, path, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

async function openTabs(page: Page, originUrl: string, extra: number): Promise<Page[]> {
  const tabs = [page];
  for (let i = 0; i < extra; i++)
    tabs.push(await openControlledPage(page.context(), originUrl, { newTab: true }));
  return tabs;
}

/**
 * A writer tab and a reader tab fetching `resource`: the reader asks once the origin holds the
 * writer's request (so it follows the writer), then the origin sends the first chunk.
 */
async function writerAndReader(page: Page, origin: Origin, resource: { id: string; path: string }) {
  const [writerTab, readerTab] = (await openTabs(page, origin.url, 1)) as [Page, Page];
  const writer = await startStreamedFetches(writerTab, resource.path);
  await origin.waitFor(resource.path);
  const reader = await startStreamedFetches(readerTab, resource.path);
  origin.release(resource.id, 1);
  return { writerTab, readerTab, writer, reader };
}

function expectComplete(states: StreamedFetchState[], resource: { size: number; sha256: string }) {
  for (const state of states) {
    expect(state.error).toBeUndefined();
    expect(state.status).toBe(200);
    expect(state.done).toBe(true);
    expect(state.received).toBe(resource.size);
    expect(state.sha256).toBe(resource.sha256);
  }
}

test('20 requests from 4 tabs for one cold resource: one download, 20 identical bodies', async ({
  swPage,
  origin,
}) => {
  const resource = slowResource('twenty', 4, 16 * 1024);
  const tabs = await openTabs(swPage, origin.url, 3);

  // Five fetches per tab, all four tabs at once.
  const ids = await Promise.all(tabs.map((tab) => startStreamedFetches(tab, resource.path, 5)));
  await origin.waitFor(resource.path);
  // The origin holds every chunk back until every request is in flight and has read the first
  // chunk: all 20 overlap the one download, none can be a plain hit of a finished entry.
  origin.release('twenty', 1);
  await Promise.all(tabs.map((tab, i) => waitForReceived(tab, ids[i] ?? [], 16 * 1024)));
  expect(origin.count('/api/slow')).toBe(1);
  origin.release('twenty');

  const states = (
    await Promise.all(tabs.map((tab, i) => settledStreamedFetches(tab, ids[i] ?? [])))
  ).flat();
  expect(states).toHaveLength(20);
  expectComplete(states, resource);
  const statuses = states.map((s) => parseCacheStatus(s.headers?.['cache-status']));
  expect(statuses.filter((s) => s.fwd === 'uri-miss' && s.stored)).toHaveLength(1);
  expect(statuses.filter((s) => s.hit)).toHaveLength(19);
  // One rule, whatever the timing: every answer that followed the download says so.
  expect(statuses.filter((s) => s.hit && s.collapsed)).toHaveLength(19);
  expect(origin.count('/api/slow')).toBe(1);
});

test('a second tab reads the first chunk before the origin has sent the last one', async ({
  swPage,
  origin,
}) => {
  const resource = slowResource('order', 4, 8 * 1024);
  const { writerTab, readerTab, writer, reader } = await writerAndReader(swPage, origin, resource);
  // Ordering, not timing: the last chunks are still held by the origin at this point.
  await waitForReceived(readerTab, reader, 8 * 1024);
  const [midway] = await streamedFetchStates(readerTab, reader);
  expect(midway?.done).toBe(false);
  expect(midway?.received).toBeLessThan(resource.size);
  expect(parseCacheStatus(midway?.headers?.['cache-status'])).toMatchObject({
    hit: true,
    collapsed: true, // it arrived after the headers, and still follows the download
  });

  origin.release('order');
  expectComplete(await settledStreamedFetches(writerTab, writer), resource);
  expectComplete(await settledStreamedFetches(readerTab, reader), resource);
  expect(origin.count('/api/slow')).toBe(1);
});

test('the writer tab closes mid-download: the other tabs still get the whole body', async ({
  swPage,
  origin,
}) => {
  const resource = slowResource('closed', 4, 8 * 1024);
  const [writerTab, ...readerTabs] = (await openTabs(swPage, origin.url, 2)) as [Page, Page, Page];

  await startStreamedFetches(writerTab, resource.path);
  await origin.waitFor(resource.path);
  const readers = await Promise.all(
    readerTabs.map((tab) => startStreamedFetches(tab, resource.path)),
  );
  origin.release('closed', 1);
  await Promise.all(readerTabs.map((tab, i) => waitForReceived(tab, readers[i] ?? [], 8 * 1024)));

  await writerTab.close();
  origin.release('closed');
  for (const [i, tab] of readerTabs.entries())
    expectComplete(await settledStreamedFetches(tab, readers[i] ?? []), resource);
  expect(origin.count('/api/slow')).toBeLessThanOrEqual(2);
  // What was stored is the whole body.
  const later = await pageFetch(readerTabs[0], resource.path, { as: 'sha256' });
  expect(later.sha256).toBe(resource.sha256);
  expect(origin.count('/api/slow')).toBeLessThanOrEqual(2);
});

test('two tabs ask for a body larger than the memory layer holds: one download', async ({
  swPage,
  origin,
}) => {
  test.setTimeout(90_000); // Firefox takes ~50 s on a busy 2-core machine
  // 20 MiB: more than MemoryStorage's default per-body limit (8 MiB).
  const resource = slowResource('large', 20, 1024 * 1024);
  const { writerTab, readerTab, writer, reader } = await writerAndReader(swPage, origin, resource);
  await waitForReceived(writerTab, writer, 1024 * 1024);
  origin.release('large');

  expectComplete(await settledStreamedFetches(writerTab, writer, 70_000), resource);
  expectComplete(await settledStreamedFetches(readerTab, reader, 70_000), resource);
  expect(origin.count('/api/slow')).toBe(1);
});
