/**
 * Coalescing when things go wrong: the worker stops mid-download, a writer that never gets its
 * headers, and memory while a huge body goes slowly through the worker.
 */
import { createHash } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { skipUnlessWorkersCanStop, stopServiceWorkers } from './helpers/stop-service-workers.ts';
import {
  settledStreamedFetches,
  startStreamedFetches,
  streamedFetchStates,
  waitForReceived,
} from './helpers/streamed-fetch.ts';
import { sampleWorkerHeap } from './helpers/worker-heap.ts';
import { BIG_BODY_BLOCK, bigBodyBase, bigBodyBlock } from './server/coalescing-routes.mjs';
import { deterministicBody, deterministicSlice } from './server/origin.mjs';

test('the worker stops mid-download: in-flight responses fail, a retry gets the whole body', async ({
  swPage,
  origin,
  browserName,
}) => {
  skipUnlessWorkersCanStop(browserName);
  const path = '/api/slow?id=stop&chunks=4&chunkSize=8192';
  const body = deterministicSlice(path, 0, 4 * 8192);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const readerTab = await openControlledPage(swPage.context(), origin.url, { newTab: true });

  const writer = await startStreamedFetches(swPage, path);
  await origin.waitFor(path);
  const reader = await startStreamedFetches(readerTab, path);
  origin.release('stop', 1);
  await waitForReceived(swPage, writer, 8192);
  await waitForReceived(readerTab, reader, 8192);

  await stopServiceWorkers(swPage);
  origin.release('stop');
  // A network error, never a short body that looks complete.
  for (const state of [
    ...(await settledStreamedFetches(swPage, writer)),
    ...(await settledStreamedFetches(readerTab, reader)),
  ]) {
    expect(state.done).toBe(false);
    expect(state.error).toBeDefined();
    expect(state.received).toBeLessThan(body.length);
  }

  const retry = await pageFetch(readerTab, path, { as: 'sha256' });
  expect(retry.status).toBe(200);
  expect(retry.sha256).toBe(sha256);
  expect(origin.count('/api/slow')).toBeLessThanOrEqual(2);
});

test('a writer that never gets its headers: readers time out and go to the network', async ({
  swPage,
  origin,
}) => {
  test.setTimeout(60_000); // the worker's default lock timeout is 10 s
  const path = '/api/hang-first?size=2048';
  const expected = createHash('sha256').update(deterministicBody(path, 2048)).digest('hex');
  const readerTab = await openControlledPage(swPage.context(), origin.url, { newTab: true });

  const stuck = await startStreamedFetches(swPage, path);
  await origin.waitFor(path);
  const readers = await startStreamedFetches(readerTab, path, 2);
  const started = Date.now();
  const states = await settledStreamedFetches(readerTab, readers, 30_000);
  const waited = Date.now() - started;
  for (const state of states) {
    expect(state.error).toBeUndefined();
    expect(state.sha256).toBe(expected);
    const status = parseCacheStatus(state.headers?.['cache-status']);
    expect(status.detail).toBe('CacheLockTimeout');
    expect(status.hit).toBe(false);
  }
  console.log(`readers waited ${waited} ms for the stuck writer before going to the network`);
  // The stuck request, plus one request per timed-out reader (they fetch uncached, on their own).
  expect(origin.count('/api/hang-first')).toBe(3);
  // The stuck request itself is still waiting for its headers.
  const [still] = await streamedFetchStates(swPage, stuck);
  expect(still?.status).toBeUndefined();
  expect(still?.error).toBeUndefined();
});

test('a 200 MB body read slowly goes through the worker without being buffered', async ({
  swPage,
  origin,
  browserName,
}) => {
  test.skip(browserName !== 'chromium', 'the worker heap is read through the DevTools protocol');
  test.setTimeout(120_000);
  const size = 200 * 1024 * 1024;
  const path = `/api/big?size=${size}`;
  const heap = await sampleWorkerHeap(swPage, { collectGarbage: true });
  await expect.poll(() => heap.samples().length).toBeGreaterThan(0);
  const before = heap.samples()[0] ?? 0;
  // 1 MiB every 50 ms: the page, not the origin, sets the pace.
  const [id] = await startStreamedFetches(swPage, path, 1, {
    digest: 'adler32',
    pauseEveryBytes: 1024 * 1024,
    pauseMs: 50,
  });
  const [state] = await settledStreamedFetches(swPage, [id ?? -1], 110_000);
  await heap.stop();

  expect(state?.error).toBeUndefined();
  expect(state?.received).toBe(size);
  expect(state?.adler32).toBe(adler32OfBigBody(path, size));
  const peak = heap.peak();
  console.log(
    `worker heap (live, after GC; JS + ArrayBuffers): ${mb(before)} MB before, peak ${mb(peak)} MB over ${heap.samples().length} samples while ${mb(size)} MB passed through`,
  );
  expect(heap.samples().length).toBeGreaterThan(10);
  expect(peak).toBeLessThan(64 * 1024 * 1024);
  expect(origin.count('/api/big')).toBe(1);
});

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function adler32OfBigBody(path: string, size: number): number {
  const base = bigBodyBase(path);
  let a = 1;
  let b = 0;
  for (let index = 0; index * BIG_BODY_BLOCK < size; index++) {
    const block = bigBodyBlock(base, index).subarray(0, size - index * BIG_BODY_BLOCK);
    for (const byte of block) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
  }
  return ((b << 16) | a) >>> 0;
}
