/**
 * A worker stopped in the middle of a body write: the half-written body is never served, and
 * its chunks are collected once the writer is known to be dead. Chromium only: stopping a
 * worker on demand needs the DevTools protocol.
 */
import { expect, test } from './fixtures.ts';
import { pageFetchOutcome, startPageFetch } from './helpers/background-fetch.ts';
import { ageWriterHeartbeats, readCacheDb, unreferencedBodyIds } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { skipUnlessWorkersCanStop, stopServiceWorkers } from './helpers/stop-service-workers.ts';
import { DEFAULT_CHUNK_SIZE } from '../src/storage/idb/chunker.ts';

// The IndexedDB chunk size: each released chunk fills one stored chunk.
const CHUNK = DEFAULT_CHUNK_SIZE;
const CHUNKS = 8;
const SIZE = CHUNK * CHUNKS;
const path = `/api/slow?id=interrupted&chunks=${CHUNKS}&chunkSize=${CHUNK}&cc=max-age%3D600`;

test('a write cut by a worker stop is never served short and leaves no orphan chunks', async ({
  swPage,
  origin,
  browserName,
}) => {
  skipUnlessWorkersCanStop(browserName);
  test.setTimeout(60_000); // orphan collection starts 5 s after the fresh worker's first open
  const sha256 = expectedSha256(path, SIZE);

  await startPageFetch(swPage, 'cut', path);
  await origin.waitFor(path);
  origin.release('interrupted', 3);
  // Chunks of the write reach IndexedDB before the stop, under a body id no meta points to.
  await expect
    .poll(async () => (await readCacheDb(swPage)).chunks.length, {
      message: 'chunks of the write in progress are stored',
    })
    .toBeGreaterThanOrEqual(2);

  await stopServiceWorkers(swPage);
  origin.release('interrupted');

  // The page that was reading never sees a short body passed off as complete.
  const cut = await pageFetchOutcome(swPage, 'cut');
  if (cut.ok) {
    expect(cut.bodySize).toBe(SIZE);
    expect(cut.sha256).toBe(sha256);
  }
  const afterStop = await readCacheDb(swPage);
  expect(afterStop.metas.filter((m) => m.complete === 1)).toEqual([]);
  const dead = unreferencedBodyIds(afterStop);
  expect(dead.length, 'the stop left chunks of the cut write behind').toBe(1);

  // The next request (a fresh worker) is a miss that fetches the whole body again, or a complete
  // hit; never the cut body.
  const next = await pageFetch(swPage, path, { as: 'sha256' });
  expect(next.bodySize).toBe(SIZE);
  expect(next.sha256).toBe(sha256);
  const nextStatus = parseCacheStatus(next.headers['cache-status']);
  expect(nextStatus.hit).toBe(false);
  expect(origin.count(path)).toBe(2);
  const hit = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
  expect(hit.sha256).toBe(sha256);
  expect(origin.count(path)).toBe(2);

  // The dead writer's heartbeat is recent, so the new worker's collection rightly spared it.
  await expect.poll(async () => (await readCacheDb(swPage)).metas[0]?.complete).toBe(1);
  expect(unreferencedBodyIds(await readCacheDb(swPage))).toEqual(dead);

  // Let the writer go stale (staleWriterMs is 10 minutes and not a worker option: age the
  // heartbeat instead), then start a fresh worker: it collects the orphans 5 s after its first
  // open (`collectOrphansDelayMs`), so the first hits never queue behind the collection.
  expect(await ageWriterHeartbeats(swPage)).toBe(1);
  await stopServiceWorkers(swPage);
  const afterCollection = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(afterCollection.headers['cache-status']).detail).toBe('composition.idb');
  expect(afterCollection.sha256).toBe(sha256);
  await expect
    .poll(async () => unreferencedBodyIds(await readCacheDb(swPage)), {
      message: 'chunks whose body id no complete meta record points to',
      timeout: 20_000,
    })
    .toEqual([]);
  const collected = await readCacheDb(swPage);
  expect(collected.metas.map((m) => m.writers)).toEqual([[]]);
  // The complete body, compacted into one Blob once its write was done (compaction.ts).
  expect(collected.chunks.map((c) => c.byteLength)).toEqual([SIZE]);
  expect(collected.metas[0]?.chunkSize).toBe(SIZE);
  expect(origin.count(path)).toBe(2);
});
