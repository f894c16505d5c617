/**
 * Faults: the worker is stopped at random points while it writes a body, revalidates an entry or
 * evicts to make room, over and over (docs/RELIABILITY.md, "Worker stops"). After every stop:
 *
 * - the interrupted request ended in a network error or in the whole, correct body (never a
 *   short one, never one mixed from two versions: `/api/versioned` bodies are checked against
 *   the version their ETag names);
 * - the same URL and another one are answered correctly by the fresh worker;
 * - the store is consistent (`checkStoreConsistency`: no dangling or orphan record); writes the
 *   stop cut are allowed only as "pending collection", and at the end, once their heartbeats
 *   are stale and a fresh worker has started, they must be gone.
 *
 * The stop points come from a seeded PRNG: the seed is printed, and
 * `SW_HTTP_CACHE_STOPS_SEED=<seed>` replays a run (the timing of the browser still varies).
 * Chromium only: stopping a worker on demand needs the DevTools protocol.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from './fixtures.ts';
import type { Page } from '@playwright/test';
import { ageWriterHeartbeats, readCacheDb, storedBytes } from './helpers/cache-db.ts';
import type { CacheDbSnapshot } from './helpers/cache-db.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { scaled } from './helpers/reliability-scale.ts';
import { checkStoreConsistency, describeStoreCheck } from './helpers/store-consistency.ts';
import {
  settledStreamedFetches,
  startStreamedFetches,
  waitForReceived,
} from './helpers/streamed-fetch.ts';
import { reliabilitySeed, seededRandom } from './helpers/seeded-random.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import type { Origin } from './server/origin.mjs';
import { DEFAULT_CHUNK_SIZE } from '../src/storage/idb/chunker.ts';

const ITERATIONS = scaled(15, 100);
const SEED = reliabilitySeed(20240811, 'SW_HTTP_CACHE_STOPS_SEED');
/** Small enough that admissions evict: about three of the bodies below. */
const MAX_BYTES = 2_000_000;
/** A released piece of a slow body: half an IndexedDB chunk, so stops fall inside and between. */
const PIECE = DEFAULT_CHUNK_SIZE / 2;
/** Revalidated URLs are reused: a pool, so most revalidations find a stored entry. */
const REVALIDATED_URLS = 4;

type Kind = 'write' | 'revalidation' | 'eviction';
const KINDS: readonly Kind[] = ['write', 'revalidation', 'eviction'];

/**
 * Stops the page's service workers over one DevTools session kept for the whole loop, like
 * `stopServiceWorkers` (helpers/stop-service-workers.ts) but without a session per stop: in a
 * 100-stop run on a loaded machine, `CDPSession.detach()` after a stop once never returned.
 * The session is not detached; it ends with the browser context.
 */
async function openWorkerStopper(page: Page): Promise<{ stop: () => Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  const status = new Map<string, string | undefined>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) status.set(version.versionId, version.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  const statuses = () => [...status.values()];
  return {
    async stop() {
      // The worker just answered the page, so a version runs; waiting for it to be reported
      // keeps a late event from a previous stop from passing for this one.
      await expect
        .poll(() => statuses().includes('running'), { message: 'a worker version is running' })
        .toBe(true);
      await cdp.send('ServiceWorker.stopAllWorkers');
      await expect
        .poll(() => statuses().every((s) => s === 'stopped'), {
          message: 'every service worker version reports runningStatus "stopped"',
        })
        .toBe(true);
    },
  };
}

/** A URL the test requested, and how to tell its correct body. */
interface Target {
  path: string;
  size: number;
  /** `/api/versioned`: the body belongs to the version the response's ETag names. */
  versioned: boolean;
}

/** What a response looked like, from `pageFetch` or a streamed fetch. */
interface Served {
  status?: number;
  headers?: Record<string, string>;
  bodySize: number;
  sha256?: string;
}

/** The SHA-256 the origin's body has for the response's headers. */
function expectedShaOf(target: Target, headers: Record<string, string>): string {
  if (!target.versioned) return expectedSha256(target.path, target.size);
  const version = /^"v(\d+)"$/.exec(headers['etag'] ?? '')?.[1];
  expect(version, `ETag of ${target.path}`).toBeDefined();
  return expectedSha256(`${target.path}#v${version}`, target.size);
}

/** Fails unless `served` is the whole, correct body of `target`. */
function expectWholeBody(target: Target, served: Served, what: string): void {
  expect(served.status, `${what}: status`).toBe(200);
  expect(served.bodySize, `${what}: body size`).toBe(target.size);
  expect(served.sha256, `${what}: body bytes`).toBe(expectedShaOf(target, served.headers ?? {}));
}

/**
 * What `/api/versioned` answered its `count`-th request: a 304 when the request named the
 * current version, a 200 to a conditional request otherwise, `miss` for an unconditional one.
 */
function originAnswer(origin: Origin, target: Target, count: number): '304' | '200' | 'miss' {
  const request = origin.requests(target.path)[count - 1];
  const asked = request?.headers['if-none-match'];
  if (asked === undefined) return 'miss';
  const every = Number(new URL(target.path, 'http://x').searchParams.get('every'));
  return asked === `"v${Math.ceil(count / every)}"` ? '304' : '200';
}

/** The figures the run reports. */
const figures = {
  iterations: { write: 0, revalidation: 0, eviction: 0 } as Record<Kind, number>,
  stops: 0,
  requestsServed: 0,
  /** How the interrupted requests ended, per kind. */
  interrupted: {
    write: { networkError: 0, complete: 0 },
    revalidation: { networkError: 0, complete: 0 },
    eviction: { networkError: 0, complete: 0 },
  } as Record<Kind, { networkError: number; complete: number }>,
  bytesChecked: 0,
  /** What the origin answered the interrupted revalidations (a miss if the entry was evicted). */
  revalidationAnswers: { '304': 0, '200': 0, miss: 0 },
  /** Complete entries that were in one store snapshot and gone in the next. */
  entriesEvicted: 0,
  storeChecks: 0,
  pendingCollectionSeen: 0,
  problems: 0,
};

test('worker stops during writes, revalidations and evictions never serve a cut body nor break the store', async ({
  swPage,
  origin,
  browserName,
}) => {
  test.skip(
    browserName !== 'chromium',
    'stopping a service worker on demand needs the DevTools protocol (CDP), which Firefox lacks',
  );
  test.setTimeout(scaled(90_000, 900_000));
  const random = seededRandom(SEED);
  console.log(`worker stops: seed ${SEED}, ${ITERATIONS} iterations`);
  await useWorkerOptions(swPage, { maxBytes: MAX_BYTES });
  const workers = await openWorkerStopper(swPage);
  /** When the worker now running was started (by the first request after a stop). */
  let workerStartedAt = Date.now();

  const known: Target[] = [];
  const revalidated: (Target | undefined)[] = Array.from({ length: REVALIDATED_URLS });

  /** Fetches `target` through the worker and checks the whole body. */
  const fetchAndCheck = async (target: Target, what: string) => {
    const served = await pageFetch(swPage, target.path, { as: 'sha256' });
    expectWholeBody(target, served, what);
    figures.requestsServed++;
    figures.bytesChecked += served.bodySize;
  };

  /** Whether `target` has a complete entry in IndexedDB. */
  const isStored = async (target: Target) => {
    const { metas } = await readCacheDb(swPage);
    return metas.some((m) => m.primary === `${origin.url}${target.path}` && m.complete === 1);
  };

  /**
   * A URL of the revalidation pool, stored (again, if the budget evicted it) and its flip
   * landed, so the request that follows is a revalidation rather than a miss.
   */
  const revalidationTarget = async (slot: number): Promise<Target> => {
    let target = revalidated[slot];
    if (target === undefined) {
      const size = random.pick([3_000, random.int(300_000, 700_000)]);
      // Half the URLs change on every request (the origin answers 200), half never do (304).
      const every = slot % 2 === 0 ? 1 : 1_000_000;
      const path = `/api/versioned?id=r${slot}&size=${size}&every=${every}&pieces=6&interval=50`;
      target = { path, size, versioned: true };
      revalidated[slot] = target;
      known.push(target);
    }
    if (await isStored(target)) return target;
    await fetchAndCheck(target, `storing ${target.path}`);
    const stored = target;
    await expect.poll(() => isStored(stored), `${stored.path} is stored`).toBe(true);
    return target;
  };

  /** Starts the request of one iteration and returns when the worker should be stopped. */
  const startInterrupted = async (
    kind: Kind,
    i: number,
  ): Promise<{ target: Target; id: number }> => {
    if (kind === 'write') {
      const pieces = random.int(2, 6);
      const path = `/api/slow?id=w${i}&chunks=${pieces}&chunkSize=${PIECE}&cc=max-age%3D600`;
      const target: Target = { path, size: pieces * PIECE, versioned: false };
      const [id = -1] = await startStreamedFetches(swPage, path);
      await origin.waitFor(path);
      // Stop after a random number of pieces: before any, between them, or during the flip.
      const released = random.int(0, pieces);
      origin.release(`w${i}`, released);
      if (released > 0) await waitForReceived(swPage, [id], released * PIECE);
      await sleep(random.int(0, 30));
      return { target, id };
    }
    if (kind === 'revalidation') {
      const target = await revalidationTarget(random.int(0, REVALIDATED_URLS - 1));
      const before = origin.count(target.path);
      const [id = -1] = await startStreamedFetches(swPage, target.path);
      // The conditional request reached the origin; the 304 or the paced 200 (6 × 50 ms) follows.
      await origin.waitFor(target.path, before + 1);
      figures.revalidationAnswers[originAnswer(origin, target, before + 1)]++;
      await sleep(random.int(0, 300));
      return { target, id };
    }
    // A fresh worker learns what is stored (and so what to evict) REBUILD_DELAY_MS (2 s,
    // src/sw/cache-runtime.ts) after it starts; before that an admission evicts nothing.
    await sleep(Math.max(0, workerStartedAt + 2_500 - Date.now()));
    const size = random.int(150_000, 700_000);
    const path = `/api/resource?cc=max-age%3D600&size=${size}&n=e${i}`;
    const target: Target = { path, size, versioned: false };
    const [id = -1] = await startStreamedFetches(swPage, path);
    await origin.waitFor(path);
    // Half the stops come after the page has the body: while the store flips and evicts.
    if (random.next() < 0.5) await settledStreamedFetches(swPage, [id]);
    await sleep(random.int(0, 40));
    return { target, id };
  };

  /** Fails on any store problem; writes pending collection are allowed (and counted). */
  const expectConsistent = (snapshot: CacheDbSnapshot, what: string) => {
    const check = checkStoreConsistency(snapshot);
    figures.storeChecks++;
    figures.pendingCollectionSeen = Math.max(figures.pendingCollectionSeen, check.pending.length);
    figures.problems += check.problems.length;
    expect(check.problems, `${what}:\n${describeStoreCheck(check)}`).toEqual([]);
  };

  let storedBefore = new Set<string>();
  for (let i = 0; i < ITERATIONS; i++) {
    const kind = random.pick(KINDS);
    figures.iterations[kind]++;
    const { target, id } = await startInterrupted(kind, i);
    await expectNoWorkerFaults(swPage);
    await workers.stop();
    figures.stops++;
    // What the stop left, before a fresh worker's orphan collection can tidy it up.
    expectConsistent(await readCacheDb(swPage), `store right after stop ${i} (${kind})`);
    if (kind === 'write') origin.release(`w${i}`);

    // The interrupted request: a network error, or the whole correct body.
    const [cut] = await settledStreamedFetches(swPage, [id]);
    if (cut?.error !== undefined) {
      figures.interrupted[kind].networkError++;
    } else {
      expectWholeBody(
        target,
        { ...cut, bodySize: cut?.received ?? -1 },
        `interrupted ${kind} ${i}`,
      );
      figures.interrupted[kind].complete++;
      figures.requestsServed++;
      figures.bytesChecked += target.size;
    }
    if (!known.includes(target)) known.push(target);

    // The fresh worker answers the same URL and another one.
    workerStartedAt = Date.now();
    await fetchAndCheck(target, `${target.path} after stop ${i}`);
    await fetchAndCheck(random.pick(known), `another URL after stop ${i}`);
    await expectNoWorkerFaults(swPage);

    const snapshot = await readCacheDb(swPage);
    const stored = new Set(snapshot.metas.filter((m) => m.complete === 1).map((m) => m.primary));
    // Nothing purges here but the budget: an entry that went away was evicted.
    figures.entriesEvicted += [...storedBefore].filter((primary) => !stored.has(primary)).length;
    storedBefore = stored;
    expectConsistent(snapshot, `store after the requests that followed stop ${i}`);
    if ((i + 1) % 25 === 0) console.log(`worker stops: ${i + 1} of ${ITERATIONS} done`);
  }

  // The cut writes' heartbeats go stale; a fresh worker's orphan collection (which starts 5 s
  // after it opens the database: `collectOrphansDelayMs`) must remove them.
  await workers.stop();
  await ageWriterHeartbeats(swPage);
  await fetchAndCheck(random.pick(known), 'a URL after collection');
  await expect
    .poll(
      async () => {
        const check = checkStoreConsistency(await readCacheDb(swPage));
        return { problems: check.problems, pending: check.pending.length };
      },
      { message: 'after collection: no problem and nothing pending', timeout: 30_000 },
    )
    .toEqual({ problems: [], pending: 0 });
  await expect
    .poll(async () => storedBytes(await readCacheDb(swPage)), 'the byte budget holds')
    .toBeLessThanOrEqual(MAX_BYTES);
  await expectNoWorkerFaults(swPage);

  console.log(`worker stops: ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'figures', description: JSON.stringify(figures) });
});
