/* global performance -- page-side code passed to page.evaluate */
// 5. Scale: hits with 10 entries stored vs with many (10,000; 2,000 with --quick), admission
// throughput (sw-http-cache with every feature, the minimal worker and Workbox CacheFirst, each
// filling its own empty origin); and, run on its own as `--section=eviction`, the cost of a miss
// that must evict (a 1 MB budget full of 100 KB entries) vs one that need not, for a complete
// body and for a range stored as a piece of a sparse entry.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_DIR } from '../../e2e/server/media-route.mjs';
import { servedBy } from '../lib/cache-status.mjs';
import { MINIMAL_WORKER } from '../lib/feature-bundles.mjs';
import { fetchAll, recordCacheEvents, sleep, timedFetch } from '../lib/page-fetch.mjs';

const entry = (/** @type {number} */ i) => `/api/resource?cc=max-age%3D3600&size=1000&e=${i}`;

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {{ entries: number, runs: number }} options
 */
export async function runScale(ctx, { entries, runs }) {
  const { scale10, scale10k, scaleMinimal, scaleWorkbox } = ctx.contenders;
  const many = `${entries.toLocaleString('en')} entries`;
  await fetchAll(
    scale10.page,
    Array.from({ length: 10 }, (_, i) => entry(i)),
    10,
  );
  for (const [contender, name] of [
    [scale10k, 'sw-http-cache'],
    [scaleMinimal, MINIMAL_WORKER],
    [scaleWorkbox, 'workbox CacheFirst'],
  ]) {
    const admitMs = await fetchAll(
      /** @type {import('../lib/contenders.mjs').Contender} */ (contender).page,
      Array.from({ length: entries }, (_, i) => entry(i)),
      32,
    );
    ctx.samples.push({
      section: '5 scale',
      measure: 'admission, 32 concurrent misses of 1 KB',
      size: many,
      contender: /** @type {string} */ (name),
      value: entries / (admitMs / 1000),
      unit: 'entries/s',
    });
    ctx.log(`scale: ${name} admitted ${entries} entries in ${(admitMs / 1000).toFixed(1)} s`);
    await sleep(2000); // the last writes land
  }

  const setups = [
    { contender: scale10, size: '10 entries' },
    { contender: scale10k, size: many },
  ];
  for (let run = 0; run < runs; run++) {
    for (const { contender, size } of run % 2 === 0 ? setups : [...setups].reverse()) {
      /** @param {string} measure @param {import('../lib/page-fetch.mjs').TimedFetch} result */
      const record = (measure, result) =>
        ctx.samples.push({
          section: '5 scale',
          measure,
          size,
          contender: 'sw-http-cache',
          value: result.ms,
          unit: 'ms',
          served: servedBy(result.cacheStatus),
        });
      await timedFetch(contender.page, entry(3));
      record('L1 hit, 1 KB', await timedFetch(contender.page, entry(3)));

      await ctx.workers.stop(contender.url);
      record('first hit after a restart, 1 KB', await timedFetch(contender.page, entry(run % 10)));

      await ctx.workers.stop(contender.url);
      await timedFetch(contender.page, `/api/resource?cc=no-store&body=warm-up`);
      await sleep(300);
      record('IndexedDB hit, 1 KB', await timedFetch(contender.page, entry((run + 5) % 10)));

      // Diagnostic: the same once the worker's start-up work (eviction rebuild, orphan
      // collection) has had 3 s to finish; tells start-up cost from per-lookup cost.
      await ctx.workers.stop(contender.url);
      await timedFetch(contender.page, `/api/resource?cc=no-store&body=warm-up`);
      await sleep(3000);
      record(
        'IndexedDB hit 3 s after a restart, 1 KB',
        await timedFetch(contender.page, entry((run + 7) % 10)),
      );
    }
    ctx.log(`scale: run ${run + 1}/${runs}`);
  }
}

/**
 * The eviction rows of section 5: the 10-entry origin of the scale rows (no eviction) against an
 * origin of its own whose 1 MB budget is full.
 *
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runEviction(ctx, runs) {
  const { scale10, evict } = ctx.contenders;
  const big = (/** @type {string} */ id) => `/api/big?size=100000&cc=max-age%3D3600&ev=${id}`;
  const pieceFile = (/** @type {number} */ run) => `evict-piece-${run}.bin`;
  await mkdir(MEDIA_DIR, { recursive: true });
  for (let run = 0; run < runs; run++) {
    await writeFile(join(MEDIA_DIR, pieceFile(run)), randomBytes(200_000));
  }
  // Fill the 1 MB budget, so each later miss evicts.
  await fetchAll(
    evict.page,
    Array.from({ length: 12 }, (_, i) => big(`fill-${i}`)),
    1,
  );
  await sleep(500);
  for (const c of [scale10, evict]) await recordCacheEvents(c.page);
  const setups = [
    { contender: scale10, name: 'sw-http-cache, no eviction' },
    { contender: evict, name: 'sw-http-cache, evicts (1 MB budget)' },
  ];
  for (let run = 0; run < runs; run++) {
    for (const { contender, name } of run % 2 === 0 ? setups : [...setups].reverse()) {
      const path = big(`run-${run}`);
      const start = await contender.page.evaluate(() => performance.now());
      const miss = await timedFetch(contender.page, path);
      const stored = await contender.page
        .waitForFunction(
          (url) =>
            /** @type {any} */ (globalThis).cacheEvents.find(
              (/** @type {any} */ e) => e.type === 'stored' && e.keys.includes(url),
            )?.at,
          `${contender.url}${path}`,
          { timeout: 10_000, polling: 5 },
        )
        .then((handle) => handle.jsonValue());
      const common = {
        section: '5 scale',
        size: '100 KB',
        contender: name,
        unit: /** @type {const} */ ('ms'),
      };
      ctx.samples.push({ ...common, measure: 'miss, fetch to last byte', value: miss.ms });
      ctx.samples.push({
        ...common,
        measure: 'miss, fetch to stored event',
        value: stored - start,
      });
      // The first 100 KB of a 200 KB file the origin serves with ranges: stored as a piece.
      const piece = await timedFetch(contender.page, `/api/media?file=${pieceFile(run)}`, {
        headers: { range: 'bytes=0-99999' },
      });
      ctx.samples.push({
        ...common,
        measure: 'range miss stored as a piece, fetch to last byte',
        value: piece.ms,
      });
    }
  }
  const evicted = await evict.page.evaluate(
    () =>
      /** @type {any} */ (globalThis).cacheEvents.filter(
        (/** @type {any} */ e) => e.type === 'evicted',
      ).length,
  );
  ctx.log(`eviction: ${evicted} evicted events over ${runs} misses`);
}
