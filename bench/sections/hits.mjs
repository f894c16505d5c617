// 1. Hit latency by body size: sw-http-cache from memory (L1) and from IndexedDB (the first hit
// after a worker restart), Workbox CacheFirst (warm, and after the same restart as our IndexedDB
// row: the two are compared under the same conditions), the browser's HTTP cache, the floor; and
// the network for scale. One sample of each per size and run, in a rotating order. In Firefox
// (`--browser=firefox`) only the two rows after a restart: its workers stop after a second idle,
// so the rows that need a running worker would not measure what they say.
import { servedBy } from '../lib/cache-status.mjs';
import { sleep, timedFetch } from '../lib/page-fetch.mjs';

/** The rows measured after a worker restart. */
const RESTARTED = ['sw-http-cache IndexedDB', 'workbox CacheFirst, restarted'];

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {{ label: string, bytes: number, runs: number }[]} sizes
 * @param {{ restartedOnly?: boolean }} [options] only the rows measured after a restart
 */
export async function runHits(ctx, sizes, { restartedOnly = false } = {}) {
  const { ours, cacheFirst, browser, network, floor } = ctx.contenders;
  const path = (/** @type {number} */ bytes) => `/api/big?size=${bytes}&cc=max-age%3D3600&b=hits`;

  // Fill every cache once (unmeasured) and let the writes settle.
  for (const size of sizes) {
    for (const c of [ours, cacheFirst, browser, floor]) await timedFetch(c.page, path(size.bytes));
  }
  await sleep(1000);

  /**
   * Stops the worker of `contender`, starts it again with an unmeasured request that is not
   * stored (it opens our database, and Workbox's cache), and lets its start-up work settle.
   *
   * @param {import('../lib/contenders.mjs').Contender} contender
   */
  const restart = async (contender) => {
    await ctx.workers.stop(contender.url);
    await timedFetch(contender.page, `/api/resource?cc=no-store&body=warm-up`);
    await ctx.workers.restarted(contender.url);
    await sleep(300);
  };

  /** @type {Record<string, (size: { label: string, bytes: number }) => Promise<void>>} */
  const measures = {
    'sw-http-cache L1': async (size) => {
      // A full read refills memory, so an unmeasured hit makes sure this one is from memory.
      await timedFetch(ours.page, path(size.bytes));
      record('sw-http-cache L1', size, await timedFetch(ours.page, path(size.bytes)));
    },
    'sw-http-cache IndexedDB': async (size) => {
      await restart(ours);
      record('sw-http-cache IndexedDB', size, await timedFetch(ours.page, path(size.bytes)));
    },
    'workbox CacheFirst': async (size) =>
      record('workbox CacheFirst', size, await timedFetch(cacheFirst.page, path(size.bytes))),
    'workbox CacheFirst, restarted': async (size) => {
      await restart(cacheFirst);
      record(
        'workbox CacheFirst, restarted',
        size,
        await timedFetch(cacheFirst.page, path(size.bytes)),
      );
    },
    'browser HTTP cache': async (size) =>
      record('browser HTTP cache', size, await timedFetch(browser.page, path(size.bytes))),
    floor: async (size) => record('floor', size, await timedFetch(floor.page, path(size.bytes))),
    'network (no-store)': async (size) =>
      record(
        'network (no-store)',
        size,
        await timedFetch(network.page, path(size.bytes), { cache: 'no-store' }),
      ),
  };

  /**
   * @param {string} contender
   * @param {{ label: string, bytes: number }} size
   * @param {import('../lib/page-fetch.mjs').TimedFetch} result
   */
  function record(contender, size, result) {
    if (result.bytes !== size.bytes) {
      throw new Error(`${contender}: ${result.bytes} of ${size.bytes} bytes`);
    }
    ctx.samples.push({
      section: '1 hits',
      measure: 'fetch to last byte',
      size: size.label,
      contender,
      value: result.ms,
      unit: 'ms',
      served: servedBy(result.cacheStatus),
    });
  }

  const names = Object.keys(measures).filter((name) => !restartedOnly || RESTARTED.includes(name));
  const maxRuns = Math.max(...sizes.map((s) => s.runs));
  for (let run = 0; run < maxRuns; run++) {
    for (const size of sizes.filter((s) => run < s.runs)) {
      const order = names.map((_, i) => names[(i + run) % names.length]);
      for (const name of order) await measures[name](size);
    }
    ctx.log(`hits: run ${run + 1}/${maxRuns}`);
  }
}
