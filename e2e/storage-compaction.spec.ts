/**
 * Compaction (src/storage/idb/compaction.ts) lost with a stopped worker: a body left in its
 * write's chunks is compacted after its next hit by the fresh worker, also when it has more
 * chunks than a lookup reads ahead. A stop right after a large write loses the compaction (the
 * copy takes seconds), but whether it does is a race; the test leaves the body in chunks itself,
 * exactly as a write left it, so it never depends on timing. Chromium only: stopping a worker on
 * demand needs the DevTools protocol.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { readCacheDb } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { expectedSliceSha256 } from './helpers/expected-slice.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { skipUnlessWorkersCanStop, stopServiceWorkers } from './helpers/stop-service-workers.ts';
import { DEFAULT_CHUNK_SIZE } from '../src/storage/idb/chunker.ts';
import { LOOKUP_READ_AHEAD_CHUNKS } from '../src/storage/idb/idb-entry-read.ts';

const CHUNKS = LOOKUP_READ_AHEAD_CHUNKS + 4;
const SIZE = DEFAULT_CHUNK_SIZE * CHUNKS;
const path = `/api/resource?size=${SIZE}&cc=max-age%3D600`;

test('a body left in chunks by a stopped worker is compacted after its next hit', async ({
  swPage,
  browserName,
}) => {
  skipUnlessWorkersCanStop(browserName);
  test.setTimeout(60_000);
  const stored = await pageFetch(swPage, path, { as: 'sha256' });
  expect(stored.sha256).toBe(expectedSha256(path, SIZE));
  await expect.poll(async () => (await readCacheDb(swPage)).metas[0]?.complete).toBe(1);

  await stopServiceWorkers(swPage);
  await leaveInChunks(swPage, DEFAULT_CHUNK_SIZE);
  expect(bodyChunks(await readCacheDb(swPage))).toBe(CHUNKS);

  // The fresh worker's hit reads a range past the chunks a lookup reads ahead.
  const start = SIZE - DEFAULT_CHUNK_SIZE - 1000;
  const range = await pageFetch(swPage, path, {
    as: 'sha256',
    init: { headers: { range: `bytes=${start}-${start + 1999}` } },
  });
  expect(range.status).toBe(206);
  expect(parseCacheStatus(range.headers['cache-status']).detail).toBe('composition.idb');
  expect(range.sha256).toBe(expectedSliceSha256(path, start, start + 2000));

  await expect
    .poll(async () => bodyChunks(await readCacheDb(swPage)), {
      message: 'the body is one chunk again',
      timeout: 20_000,
    })
    .toBe(1);
  const whole = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(whole.headers['cache-status']).hit).toBe(true);
  expect(whole.sha256).toBe(expectedSha256(path, SIZE));
});

/** The chunks of the one complete entry's body. */
function bodyChunks(db: Awaited<ReturnType<typeof readCacheDb>>): number {
  const [meta] = db.metas.filter((m) => m.complete === 1);
  return db.chunks.filter((c) => c.bodyId === meta?.bodyId).length;
}

/**
 * Rewrites the one complete entry as its write stored it, before compaction: its body in Blob
 * chunks of `chunkSize` under a body id of its own, no `writtenAs` (the worker is stopped).
 */
function leaveInChunks(page: Page, chunkSize: number): Promise<void> {
  return page.evaluate(async (chunkSize) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('sw-http-cache');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('could not open the cache'));
    });
    const done = (request: IDBRequest) =>
      new Promise<unknown>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('request failed'));
      });
    try {
      const tx = db.transaction(['meta', 'body'], 'readwrite');
      const meta = tx.objectStore('meta');
      const body = tx.objectStore('body');
      type Meta = { bodyId: string; size: number; complete: number; writtenAs?: string };
      const all = (await done(meta.getAll())) as Meta[];
      const record = all.find((m) => m.complete === 1)!;
      const chunks = (await done(
        body.getAll(IDBKeyRange.bound([record.bodyId, 0], [record.bodyId, Infinity])),
      )) as { data: Blob | Uint8Array }[];
      const whole = new Blob(chunks.map((c) => c.data as BlobPart));
      const bodyId = `left-in-chunks-${crypto.randomUUID()}`;
      for (let seq = 0; seq * chunkSize < record.size; seq++) {
        const data = whole.slice(seq * chunkSize, (seq + 1) * chunkSize);
        await done(body.put({ bodyId, seq, data }));
      }
      await done(body.delete(IDBKeyRange.bound([record.bodyId, 0], [record.bodyId, Infinity])));
      const { writtenAs: _, ...rest } = record;
      await done(meta.put({ ...rest, bodyId, chunkSize }));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
      });
    } finally {
      db.close();
    }
  }, chunkSize);
}
