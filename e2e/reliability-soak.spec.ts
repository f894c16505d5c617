/**
 * Soak (docs/RELIABILITY.md): four tabs send thousands of mixed requests at once — fresh hits,
 * misses, stale entries revalidated with 304s, stale-while-revalidate, `no-cache` and `no-store`
 * responses, `Vary` variants, `Range` requests and purges through the page API — to a worker
 * with a small byte budget, so entries are evicted all the time. Every body is hashed in the page
 * and compared with the bytes the origin sends for that URL (and variant, and range); at the end
 * there are no errors, the budget holds in IndexedDB, no chunk is left without its entry and the
 * worker recorded no uncaught error.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { readCacheDb, storedBytes, unreferencedBodyIds } from './helpers/cache-db.ts';
import { receivedCacheEvents, recordCacheEvents } from './helpers/cache-events.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { openControlClient } from './helpers/control-client.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { RELIABILITY_SCALE, scaled } from './helpers/reliability-scale.ts';
import { seededRun } from './helpers/seeded-random.ts';
import type { Random } from './helpers/seeded-random.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import { deterministicBody, deterministicSlice } from './server/origin.mjs';
import { variantBodyKey } from './server/variant-route.mjs';

const TABS = 4;
const REQUESTS_PER_TAB = scaled(150, 5_000);
/** Requests handed to one `page.evaluate`, and how many of them are in flight at once. */
const BATCH = 50;
const IN_FLIGHT = 4;
/** Small next to the pool (about 1.3 MB of distinct bodies), so eviction runs all the time. */
const MAX_BYTES = 300_000;
const SIZES = [0, 100, 1_000, 8_000, 30_000, 80_000];
const VARY_HEADER = 'x-soak-lang';
const VARY_VALUES = ['en', 'fr', 'de', undefined] as const;

/** How often each kind of request is picked. */
const KIND_WEIGHTS = {
  fresh: 30, // max-age=600: a miss the first time, then hits until evicted or purged
  stale: 12, // max-age=1 with an ETag: mostly stale, revalidated with a 304
  swr: 6, // max-age=1, stale-while-revalidate: the stale copy now, a refresh in the background
  noCache: 10, // no-cache with an ETag: revalidated every time
  noStore: 4, // never stored
  vary: 16, // Vary: x-soak-lang, four variants per URL
  range: 16, // Range: bytes=a-b of a fresh URL
  purge: 6, // purge(url) through the page API
} as const;
type Kind = keyof typeof KIND_WEIGHTS;
type PoolKind = Exclude<Kind, 'range' | 'purge'>;

const POLICY: Record<PoolKind, { route: string; count: number; params: Record<string, string> }> = {
  fresh: { route: '/api/resource', count: 24, params: { cc: 'max-age=600' } },
  stale: { route: '/api/resource', count: 8, params: { cc: 'max-age=1', etag: 'stale' } },
  swr: {
    route: '/api/resource',
    count: 4,
    params: { cc: 'max-age=1, stale-while-revalidate=60' },
  },
  noCache: { route: '/api/resource', count: 6, params: { cc: 'no-cache', etag: 'nc' } },
  noStore: { route: '/api/resource', count: 3, params: { cc: 'no-store' } },
  vary: {
    route: '/api/variant',
    count: 6,
    params: { cc: 'max-age=600', on: VARY_HEADER },
  },
};

interface PoolUrl {
  kind: PoolKind;
  path: string;
  size: number;
}

/** One request of the plan, as it crosses into the page. */
interface PlannedRequest {
  kind: Kind;
  path: string;
  headers: Record<string, string>;
  /** `[start, end)` asked for with `Range`. */
  range?: [number, number];
}

/** What the page saw for one planned request. */
interface Outcome {
  error?: string;
  status?: number;
  sha256?: string;
  bytes?: number;
  cacheStatus?: string | null;
  contentRange?: string | null;
  purged?: number;
}

function buildPool(random: Random): PoolUrl[] {
  const pool: PoolUrl[] = [];
  for (const [kind, policy] of Object.entries(POLICY) as [PoolKind, (typeof POLICY)[PoolKind]][]) {
    for (let i = 0; i < policy.count; i++) {
      const size = random.pick(SIZES);
      pool.push({
        kind,
        size,
        path: apiUrl(policy.route, { ...policy.params, size, id: `${kind}${i}` }),
      });
    }
  }
  return pool;
}

function planRequest(random: Random, pool: readonly PoolUrl[]): PlannedRequest {
  const kind = random.weighted(KIND_WEIGHTS);
  if (kind === 'purge') return { kind, path: random.pick(pool).path, headers: {} };
  if (kind === 'range') {
    const target = random.pick(pool.filter((url) => url.kind === 'fresh' && url.size > 1));
    const start = random.int(0, target.size - 1);
    const end = random.int(start + 1, target.size);
    return {
      kind,
      path: target.path,
      headers: { range: `bytes=${start}-${end - 1}` },
      range: [start, end],
    };
  }
  const target = random.pick(pool.filter((url) => url.kind === kind));
  const value = kind === 'vary' ? random.pick(VARY_VALUES) : undefined;
  return { kind, path: target.path, headers: value === undefined ? {} : { [VARY_HEADER]: value } };
}

/** Runs `requests` in the page, `inFlight` at a time, hashing every body with SHA-256. */
function runInPage(page: Page, requests: PlannedRequest[], inFlight: number): Promise<Outcome[]> {
  return page.evaluate(
    async ({ requests, inFlight }) => {
      const hex = (buffer: ArrayBuffer) =>
        Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
      const run = async (request: PlannedRequest): Promise<Outcome> => {
        try {
          if (request.kind === 'purge') {
            if (window.httpCache === undefined) throw new Error('no control client in this tab');
            return { purged: await window.httpCache.purge(request.path) };
          }
          const response = await fetch(request.path, { headers: request.headers });
          const body = await response.arrayBuffer();
          return {
            status: response.status,
            sha256: hex(await crypto.subtle.digest('SHA-256', body)),
            bytes: body.byteLength,
            cacheStatus: response.headers.get('cache-status'),
            contentRange: response.headers.get('content-range'),
          };
        } catch (error) {
          return { error: String(error) };
        }
      };
      const outcomes: Outcome[] = new Array<Outcome>(requests.length);
      let next = 0;
      const lane = async () => {
        while (next < requests.length) {
          const index = next++;
          outcomes[index] = await run(requests[index]!);
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      return outcomes;
    },
    { requests, inFlight },
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The figures the run prints for docs/RELIABILITY.md. */
interface Tally {
  requests: Record<Kind, number>;
  errors: string[];
  wrongBodies: string[];
  hits: number;
  forwarded: Record<string, number>;
  ranges206: number;
  ranges200: number;
  purgedEntries: number;
  bytesChecked: number;
}

/** Checks one outcome against what the origin sends for its request, and counts it. */
function check(
  request: PlannedRequest,
  outcome: Outcome,
  pool: Map<string, PoolUrl>,
  tally: Tally,
) {
  tally.requests[request.kind]++;
  const where = `${request.kind} ${request.path} ${JSON.stringify(request.headers)}`;
  if (outcome.error !== undefined) {
    tally.errors.push(`${where}: ${outcome.error}`);
    return;
  }
  if (request.kind === 'purge') {
    if (typeof outcome.purged !== 'number' || outcome.purged < 0) {
      tally.errors.push(`${where}: purge resolved with ${String(outcome.purged)}`);
    } else tally.purgedEntries += outcome.purged;
    return;
  }
  const url = pool.get(request.path)!;
  const status = parseCacheStatus(outcome.cacheStatus);
  if (status.hit) tally.hits++;
  else tally.forwarded[status.fwd ?? 'none'] = (tally.forwarded[status.fwd ?? 'none'] ?? 0) + 1;
  tally.bytesChecked += outcome.bytes ?? 0;

  let expected: { status: number; sha256: string; contentRange?: string };
  if (request.kind === 'vary') {
    const key = variantBodyKey(request.path, request.headers[VARY_HEADER] ?? '');
    expected = { status: 200, sha256: sha256(deterministicBody(key, url.size)) };
  } else if (request.range !== undefined && outcome.status === 206) {
    const [start, end] = request.range;
    tally.ranges206++;
    expected = {
      status: 206,
      sha256: sha256(deterministicSlice(request.path, start, end)),
      contentRange: `bytes ${start}-${end - 1}/${url.size}`,
    };
  } else {
    // A range the cache cannot answer yet goes to the origin, which ignores `Range`: all of it.
    if (request.range !== undefined) tally.ranges200++;
    expected = { status: 200, sha256: sha256(deterministicBody(request.path, url.size)) };
  }
  const got = {
    status: outcome.status,
    sha256: outcome.sha256,
    contentRange: outcome.contentRange,
  };
  if (
    got.status !== expected.status ||
    got.sha256 !== expected.sha256 ||
    (expected.contentRange !== undefined && got.contentRange !== expected.contentRange)
  ) {
    tally.wrongBodies.push(
      `${where}: got ${JSON.stringify(got)} (${outcome.cacheStatus}), expected ${JSON.stringify(expected)}`,
    );
  }
}

test('soak: 4 tabs of mixed requests under a small byte budget, every body checked', async ({
  swPage,
  swContext,
  origin,
}) => {
  test.setTimeout(scaled(90_000, 40 * 60_000));
  const { seed, random } = seededRun(20_240_611);
  const started = Date.now();

  // Open every tab before configuring the worker: the fixture page registers plain `/sw.js`.
  const tabs = [swPage];
  while (tabs.length < TABS)
    tabs.push(await openControlledPage(swContext, origin.url, { newTab: true }));
  const scriptUrl = await useWorkerOptions(swPage, { maxBytes: MAX_BYTES });
  for (const tab of tabs) {
    await expect
      .poll(() => tab.evaluate(() => navigator.serviceWorker.controller?.scriptURL))
      .toBe(scriptUrl);
    await openControlClient(tab, scriptUrl);
  }
  await recordCacheEvents(swPage);

  const poolList = buildPool(random);
  const pool = new Map(poolList.map((url) => [url.path, url]));
  const plans = tabs.map(() =>
    Array.from({ length: REQUESTS_PER_TAB }, () => planRequest(random, poolList)),
  );
  const tally: Tally = {
    requests: { fresh: 0, stale: 0, swr: 0, noCache: 0, noStore: 0, vary: 0, range: 0, purge: 0 },
    errors: [],
    wrongBodies: [],
    hits: 0,
    forwarded: {},
    ranges206: 0,
    ranges200: 0,
    purgedEntries: 0,
    bytesChecked: 0,
  };

  await Promise.all(
    tabs.map(async (tab, t) => {
      const plan = plans[t]!;
      for (let start = 0; start < plan.length; start += BATCH) {
        const batch = plan.slice(start, start + BATCH);
        const outcomes = await runInPage(tab, batch, IN_FLIGHT);
        batch.forEach((request, i) => check(request, outcomes[i]!, pool, tally));
      }
    }),
  );

  // Stores and evictions finish after the responses: wait for them, then look at IndexedDB.
  await expect
    .poll(
      async () => {
        const snapshot = await readCacheDb(swPage);
        return {
          overBudget: storedBytes(snapshot) > MAX_BYTES,
          orphans: unreferencedBodyIds(snapshot),
        };
      },
      { timeout: 20_000, message: 'the budget holds and every chunk belongs to a complete entry' },
    )
    .toEqual({ overBudget: false, orphans: [] });
  const snapshot = await readCacheDb(swPage);
  const stats = await swPage.evaluate(() => window.httpCache!.stats());
  const evicted = (await receivedCacheEvents(swPage))
    .filter((event) => event.type === 'evicted')
    .reduce((sum, event) => sum + event.keys.length, 0);
  const originRequests = origin.count('/api/resource') + origin.count('/api/variant');
  const total = TABS * REQUESTS_PER_TAB;

  const figures = {
    scale: RELIABILITY_SCALE,
    seed,
    tabs: TABS,
    requests: total,
    byKind: tally.requests,
    errors: tally.errors.length,
    wrongBodies: tally.wrongBodies.length,
    cacheStatusHits: tally.hits,
    cacheStatusForwarded: tally.forwarded,
    ranges: { partial206: tally.ranges206, whole200: tally.ranges200 },
    purgedEntries: tally.purgedEntries,
    originRequests,
    bytesChecked: tally.bytesChecked,
    evictedEntries: evicted,
    workerStats: stats,
    storedBytes: storedBytes(snapshot),
    budget: MAX_BYTES,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`[soak] ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'soak', description: JSON.stringify(figures) });

  expect(tally.errors.slice(0, 10), `${tally.errors.length} requests failed`).toEqual([]);
  expect(tally.wrongBodies.slice(0, 10), `${tally.wrongBodies.length} wrong answers`).toEqual([]);
  // The run did what it says: every kind ran, the cache hit and evicted, purges removed entries.
  for (const kind of Object.keys(KIND_WEIGHTS) as Kind[])
    expect(tally.requests[kind]).toBeGreaterThan(0);
  expect(tally.hits).toBeGreaterThan(0);
  expect(evicted).toBeGreaterThan(0);
  expect(tally.ranges206).toBeGreaterThan(0);
  expect(originRequests).toBeLessThan(total);
  for (const tab of tabs) await expectNoWorkerFaults(tab);
});
