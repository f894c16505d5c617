/**
 * Fault injection (docs/RELIABILITY.md, "Faults"): a tab that holds a key's cross-context write
 * lock closes, the origin resets a connection mid-body or hangs, IndexedDB fails (quota, an
 * upgrade or a deletion from another context), and garbage lands in a meta record. Each must end
 * in a correct network response or a served cache entry: never a short body, never an unhandled
 * rejection in the worker, never a page left waiting (every fetch here gives up on its own after
 * a bound, and the test asserts it did not have to).
 */
import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { normalizeUrl, variantHash } from '../src/core/key.ts';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import type { BoundedFetchResult } from './helpers/bounded-fetch.ts';
import { boundedFetch, boundedFetches } from './helpers/bounded-fetch.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { useWorkerOptions } from './helpers/configured-worker.ts';
import { openControlledPage } from './helpers/controlled-page.ts';
import { overrideQuota } from './helpers/quota-override.ts';
import { scaled } from './helpers/reliability-scale.ts';
import type { RawRecord } from './helpers/storage-faults.ts';
import {
  deleteCacheDb,
  getMetaRecords,
  holdWebLock,
  putMetaRecords,
  upgradeCacheDb,
} from './helpers/storage-faults.ts';
import {
  expectNoWorkerFaults,
  expectNoWorkerFaultsButEngineNetworkErrors,
} from './helpers/worker-faults.ts';
import { faultyBody } from './server/fault-routes.mjs';
import type { Origin } from './server/origin.mjs';

test.setTimeout(scaled(30_000, 180_000));

const SIZE = 24 * 1024;

/** `/api/faulty` (e2e/server/fault-routes.mjs): answer n follows step n of `plan`. */
function faultyUrl(plan: string, id: string, extra: Record<string, string | number> = {}): string {
  return apiUrl('/api/faulty', { plan, size: SIZE, id, ...extra });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What the figures of a test add up to (printed for docs/RELIABILITY.md). */
interface Tally {
  faults: number;
  served: number;
  errors: number;
  bytes: number;
}

const newTally = (): Tally => ({ faults: 0, served: 0, errors: 0, bytes: 0 });

function report(name: string, tally: Tally): void {
  const line = `${name}: ${tally.faults} faults injected, ${tally.served} responses served whole, ${tally.errors} network errors, ${tally.bytes} body bytes checked`;
  console.log(line);
  test.info().annotations.push({ type: 'figures', description: line });
}

/**
 * A whole, correct answer of `/api/faulty`: its body is the one the origin's answer named in
 * `x-origin-count` carried (a cached copy keeps the header of the answer it came from).
 */
function expectWhole(result: BoundedFetchResult, path: string, tally: Tally): number {
  expect(result.error, `${path} answered`).toBeUndefined();
  expect(result.status).toBe(200);
  const n = Number(result.headers?.['x-origin-count']);
  expect(Number.isInteger(n) && n > 0, `${path}: x-origin-count ${n}`).toBe(true);
  expect(result.received).toBe(SIZE);
  expect(result.sha256, `${path}: body of origin answer #${n}`).toBe(
    sha256(faultyBody(path, n, SIZE)),
  );
  tally.served++;
  tally.bytes += result.received;
  return n;
}

/** A network error, never a short body that looks complete; not the page's own time-out. */
function expectNetworkError(result: BoundedFetchResult, path: string, tally: Tally): void {
  expect(result.error, `${path} fails`).toBeDefined();
  expect(result.error, `${path} failed before the page gave up`).not.toMatch(/TimeoutError/);
  expect(result.sha256).toBeUndefined();
  expect(result.received).toBeLessThan(SIZE);
  tally.errors++;
}

function cacheStatusOf(result: BoundedFetchResult) {
  return parseCacheStatus(result.headers?.['cache-status']);
}

/** The Web Lock the worker's writer of `path` holds (docs/lock.md: `<name>:<variantHash>`). */
function writeLockName(origin: Origin, path: string): string {
  return `sw-http-cache:${variantHash({ namespace: '', primary: normalizeUrl(origin.url + path) })}`;
}

test('a tab holding a key’s write lock closes: the waiting requests compete again and are served', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  const rounds = scaled(2, 10);
  const waiters = 4;
  for (let round = 0; round < rounds; round++) {
    const path = faultyUrl('ok', `lock-${round}`);
    const holder = await openControlledPage(swPage.context(), origin.url, { newTab: true });
    await holdWebLock(holder, writeLockName(origin, path));
    tally.faults++;

    const pending = boundedFetches(swPage, Array<string>(waiters).fill(path), 15_000);
    // They wait on the other context's writer: nothing reaches the origin while it lives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(origin.count(path), 'no request while another context holds the lock').toBe(0);
    await holder.close();

    for (const result of await pending) expectWhole(result, path, tally);
    // The dead writer's lock came free without a status (Dangling): exactly one of them fetched.
    expect(origin.count(path)).toBe(1);
  }
  await expectNoWorkerFaults(swPage);
  report('write lock holder closed', tally);
});

test('the origin resets the connection mid-body: a network error, nothing stored, the next request whole', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  for (let round = 0; round < scaled(3, 30); round++) {
    const path = faultyUrl('reset,ok', `reset-${round}`);
    // Two concurrent requests: the writer's page and a reader following its write.
    for (const result of await boundedFetches(swPage, [path, path])) {
      expectNetworkError(result, path, tally);
    }
    tally.faults++;
    const next = await boundedFetch(swPage, path);
    expect(expectWhole(next, path, tally), 'the cut body was not stored').toBe(2);
    // The reader followed the writer's download: one origin request for both.
    expect(origin.count(path)).toBe(2);
    expect(cacheStatusOf(next).hit).toBe(false);
    const hit = await boundedFetch(swPage, path);
    expect(expectWhole(hit, path, tally)).toBe(2);
    expect(cacheStatusOf(hit).hit).toBe(true);
  }
  await expectNoWorkerFaults(swPage);
  report('connection reset mid-body', tally);
});

test('a reset while revalidating a stored entry: never a short body, and the stored entry survives', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  for (let round = 0; round < scaled(2, 20); round++) {
    const path = faultyUrl('ok,reset,ok', `stale-reset-${round}`, {
      cc: 'max-age=0, stale-if-error=600',
    });
    expect(expectWhole(await boundedFetch(swPage, path), path, tally)).toBe(1);
    // Stale at once: revalidating meets a 200 whose body breaks off.
    const during = await boundedFetch(swPage, path);
    tally.faults++;
    if (during.error === undefined) expect(expectWhole(during, path, tally)).toBe(1);
    else expectNetworkError(during, path, tally);
    // The origin is down: stale-if-error serves the first answer, not the cut one.
    origin.setOffline(true);
    const stale = await boundedFetch(swPage, path);
    origin.setOffline(false);
    expect(expectWhole(stale, path, tally)).toBe(1);
    expect(cacheStatusOf(stale)).toMatchObject({ fwd: 'stale', detail: 'stale-if-error' });
    // Back online: a new answer (the browser may retry a dropped connection, so not always #4),
    // at once: the stale answer let go of the key's lock.
    const back = await boundedFetch(swPage, path);
    expect(expectWhole(back, path, tally)).toBeGreaterThan(3);
    expect(cacheStatusOf(back)).toMatchObject({ fwd: 'stale', stored: true });
  }
  await expectNoWorkerFaults(swPage);
  report('reset while revalidating', tally);
});

test('the origin hangs: the page gives up, waiting readers are answered, the next request works', async ({
  swPage,
  origin,
  browserName,
}) => {
  // Readers wait for a writer without headers for at most lockTimeout, then go to the network.
  await useWorkerOptions(swPage, { lockTimeout: 1_000 });
  const tally = newTally();
  for (let round = 0; round < scaled(2, 10); round++) {
    // The origin drops the hung connection after 3 s: in Chromium the page's abort does not
    // reach the worker's upstream fetch, so without it every round would keep one of the
    // browser's 6 connections to the origin and the 7th request would queue for ever.
    const path = faultyUrl('hang,ok', `hang-${round}`, { hangMs: 3_000 });
    const stuck = boundedFetch(swPage, path, 1_500);
    await origin.waitFor(`/api/faulty?${path.split('?')[1] ?? ''}`);
    tally.faults++;
    const readers = await boundedFetches(swPage, [path, path], 10_000);
    // The origin never answers the first request: the page's own bound ends it.
    const abandoned = await stuck;
    expect(abandoned.error).toMatch(/TimeoutError|AbortError/);
    expect(abandoned.status).toBeUndefined();
    for (const reader of readers) expectWhole(reader, path, tally);
    const next = await boundedFetch(swPage, path);
    expectWhole(next, path, tally);
  }

  // A stored entry that the origin hangs on while revalidating: the page's own bound ends the
  // wait, and the entry is still there for the next request.
  const path = faultyUrl('ok,hang,ok', 'stale-hang', { cc: 'max-age=0, stale-if-error=600' });
  expect(expectWhole(await boundedFetch(swPage, path), path, tally)).toBe(1);
  const stuck = await boundedFetch(swPage, path, 1_000);
  tally.faults++;
  expect(stuck.error).toMatch(/TimeoutError|AbortError/);
  origin.setOffline(true);
  const stale = await boundedFetch(swPage, path);
  origin.setOffline(false);
  expect(expectWhole(stale, path, tally)).toBe(1);
  const back = await boundedFetch(swPage, path);
  expect(expectWhole(back, path, tally)).toBeGreaterThan(2);
  expect(cacheStatusOf(back)).toMatchObject({ fwd: 'stale', stored: true });

  await expectNoWorkerFaultsButEngineNetworkErrors(swPage, browserName, tally.faults);
  report('origin hangs', tally);
});

test('IndexedDB over quota: every body served whole, no fault in the worker, storing resumes', async ({
  swPage,
  origin,
  browserName,
}) => {
  test.skip(browserName !== 'chromium', 'overriding the quota needs the DevTools protocol');
  // storage-quota.spec.ts checks the bodies and what IndexedDB holds; this adds the fault log
  // and what happens once space is back.
  const tally = newTally();
  const big = 300_000; // three times the quota
  const paths = Array.from({ length: scaled(3, 20) }, (_, i) =>
    faultyUrl('ok', `quota-${i}`, { size: big }),
  );
  const restore = await overrideQuota(swPage, origin.url, 100_000);
  try {
    for (const path of paths) {
      const result = await boundedFetch(swPage, path);
      expect(result.error).toBeUndefined();
      expect(result.received).toBe(big);
      expect(result.sha256).toBe(sha256(faultyBody(path, 1, big)));
      tally.faults++;
      tally.served++;
      tally.bytes += big;
    }
  } finally {
    await restore();
  }
  await expectNoWorkerFaults(swPage);
  const after = faultyUrl('ok', 'quota-after');
  expectWhole(await boundedFetch(swPage, after), after, tally);
  const hit = await boundedFetch(swPage, after);
  expect(expectWhole(hit, after, tally)).toBe(1);
  expect(cacheStatusOf(hit).hit).toBe(true);
  await expectNoWorkerFaults(swPage);
  report('quota exceeded', tally);
});

/** Fetches each of `paths` once and checks them whole; returns the answers' origin counts. */
async function fetchAllWhole(page: Page, paths: string[], tally: Tally): Promise<number[]> {
  const results = await boundedFetches(page, paths);
  return results.map((result, i) => expectWhole(result, paths[i] ?? '', tally));
}

test('another context upgrades the database: the upgrade is not blocked, requests are answered', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  const other = await openControlledPage(swPage.context(), origin.url, { newTab: true });
  const stored = Array.from({ length: 4 }, (_, i) => faultyUrl('ok', `upgrade-${i}`));
  await fetchAllWhole(swPage, stored, tally);
  for (let round = 0; round < scaled(2, 10); round++) {
    // The worker has the database open (it just stored): the upgrade must not wait on it.
    const change = await upgradeCacheDb(other);
    tally.faults++;
    expect(change.outcome, `upgrade ${round}`).toBe('success');
    // Stored entries and new ones alike: answered whole, from memory, IndexedDB or the origin.
    const fresh = Array.from({ length: 4 }, (_, i) => faultyUrl('ok', `upgrade-${round}-${i}`));
    await fetchAllWhole(swPage, [...stored, ...fresh, ...fresh], tally);
  }
  await expectNoWorkerFaults(swPage);
  report('database upgraded by another context', tally);
});

test('another context deletes the database between and during requests: every answer whole', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  const other = await openControlledPage(swPage.context(), origin.url, { newTab: true });
  for (let round = 0; round < scaled(2, 10); round++) {
    const paths = Array.from({ length: 4 }, (_, i) => faultyUrl('ok', `delete-${round}-${i}`));
    await fetchAllWhole(swPage, paths, tally);
    // Between requests.
    expect((await deleteCacheDb(other)).outcome).toBe('success');
    tally.faults++;
    await fetchAllWhole(swPage, paths, tally);
    // During them: a deletion races a batch of stores and hits.
    const more = Array.from({ length: 4 }, (_, i) => faultyUrl('ok', `delete-more-${round}-${i}`));
    const [results, change] = await Promise.all([
      boundedFetches(swPage, [...paths, ...more, ...more]),
      deleteCacheDb(other),
    ]);
    tally.faults++;
    expect(change.outcome).toBe('success');
    results.forEach((result, i) =>
      expectWhole(result, [...paths, ...more, ...more][i] ?? '', tally),
    );
    // Afterwards the cache stores again: a new entry is a hit the second time.
    const after = faultyUrl('ok', `delete-after-${round}`);
    expect(expectWhole(await boundedFetch(swPage, after), after, tally)).toBe(1);
    const hit = await boundedFetch(swPage, after);
    expect(expectWhole(hit, after, tally)).toBe(1);
    expect(cacheStatusOf(hit).hit).toBe(true);
  }
  await expectNoWorkerFaults(swPage);
  report('database deleted by another context', tally);
});

/** Ways to spoil a good `meta` record (`good` is the record the worker stored for the key). */
const GARBAGE: Record<string, (good: RawRecord, other: RawRecord) => RawRecord> = {
  'key null': (good) => ({ ...good, key: null }),
  'key a number': (good) => ({ ...good, key: 42 }),
  'meta a string': (good) => ({ ...good, meta: 'garbage' }),
  'meta without headers': (good) => ({
    ...good,
    meta: { ...(good['meta'] as object), headers: undefined },
  }),
  'headers of the wrong type': (good) => ({
    ...good,
    meta: { ...(good['meta'] as object), headers: [[1, 2]], status: 'OK' },
  }),
  'freshness times as strings': (good) => ({
    ...good,
    meta: { ...(good['meta'] as object), freshUntil: 'tomorrow', staleIfErrorUntil: 'never' },
  }),
  'a huge size': (good) => ({ ...good, size: 1e15 }),
  'a negative size': (good) => ({ ...good, size: -5 }),
  'size a string': (good) => ({ ...good, size: '24576' }),
  'a body that is not there': (good) => ({ ...good, bodyId: 'no-such-body' }),
  'chunkSize zero': (good) => ({ ...good, chunkSize: 0 }),
  'writers not a list': (good) => ({ ...good, writers: 'x' }),
  'complete not 0 or 1': (good) => ({ ...good, complete: 'yes' }),
  'another key than its hash': (good, other) => ({ ...other, hash: good['hash'] }),
  'only a hash': (good) => ({ hash: good['hash'] }),
};

test('garbage in meta records is never served: requests are answered whole and it is replaced', async ({
  swPage,
  origin,
}) => {
  const tally = newTally();
  const names = Object.keys(GARBAGE);
  const rounds = scaled(1, 5);
  for (let round = 0; round < rounds; round++) {
    const paths = names.map((_, i) => faultyUrl('ok', `garbage-${round}-${i}`));
    const hashes = paths.map((path) => writeLockName(origin, path).slice('sw-http-cache:'.length));
    const spare = faultyUrl('ok', `garbage-${round}-spare`);
    await fetchAllWhole(swPage, [...paths, spare], tally);
    const [spareRecord] = await getMetaRecords(swPage, [
      writeLockName(origin, spare).slice('sw-http-cache:'.length),
    ]);
    const good = await getMetaRecords(swPage, hashes);
    const garbage = names.map((name, i) => {
      const record = good[i];
      if (record === undefined || spareRecord === undefined) throw new Error(`${name}: not stored`);
      return GARBAGE[name]?.(record, spareRecord) ?? record;
    });
    // Records no lookup reaches, for the paths that list every record (eviction, the dashboard).
    garbage.push({ hash: `stray-${round}`, key: 'x', size: 'y', complete: 1, writers: null });
    garbage.push({ hash: `stray-meta-${round}`, ...spareRecord, meta: null });
    await putMetaRecords(swPage, garbage);
    tally.faults += garbage.length;

    await expectNoWorkerFaults(swPage);
    // A new worker: empty memory, its eviction state rebuilt from the spoiled store.
    await useWorkerOptions(swPage, { maxEntries: 10_000 + round });
    const answers = await boundedFetches(swPage, paths);
    answers.forEach((answer, i) => {
      const path = paths[i] ?? '';
      const n = expectWhole(answer, path, tally);
      // Served from storage, it would have had to be the first answer's body; not served from
      // the garbage, it comes from the origin again.
      expect(n, `${names[i]}: answered by the origin, not from the garbage`).toBe(2);
    });
    // Replaced: the next request is a hit on the origin's second answer.
    const again = await boundedFetches(swPage, paths);
    again.forEach((answer, i) => {
      expect(expectWhole(answer, paths[i] ?? '', tally), names[i]).toBe(2);
      expect(cacheStatusOf(answer).hit, `${names[i]}: stored again`).toBe(true);
    });
    const records = await getMetaRecords(swPage, hashes);
    records.forEach((record, i) => {
      const key = record?.['key'] as { primary?: unknown } | undefined;
      expect(key?.primary, `${names[i]}: the record was replaced`).toBe(
        normalizeUrl(origin.url + (paths[i] ?? '')),
      );
    });
    await expectNoWorkerFaults(swPage);
  }
  report('garbage meta records', tally);
});
