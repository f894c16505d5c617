/* global window, performance, BroadcastChannel -- page-side code passed to page.evaluate */
// Part 1 of the storage benchmark: the demo worker in front of the test origin. For each body
// size, interleaved: a miss (page latency and time until the `stored` event), a hit while the
// worker is warm (memory L1), then a hit right after a worker restart (IndexedDB L2).
import { servedBy } from '../lib/cache-status.mjs';
import { timedFetch } from '../lib/page-fetch.mjs';
import { stopServiceWorkers } from './stop-workers.mjs';

/**
 * @typedef {{ measure: string, size: string, variant: string, ms: number, bytes: number }} Sample
 */

/**
 * @param {import('playwright-core').Page} page
 * @param {string} originUrl
 * @param {{ sizes: { label: string, bytes: number, runs: number }[], log: (line: string) => void }} options
 * @returns {Promise<Sample[]>}
 */
export async function runWorkerBench(page, originUrl, { sizes, log }) {
  // `stored` events with their arrival time in the page's clock, by URL.
  await page.evaluate(() => {
    /** @type {Record<string, number>} */
    const storedAt = {};
    Object.assign(window, { storedAt });
    const channel = new BroadcastChannel('sw-http-cache:events');
    channel.onmessage = ({ data }) => {
      if (data?.type !== 'stored') return;
      for (const key of data.keys) storedAt[key.primary] = performance.now();
    };
  });

  /** @type {Sample[]} */
  const samples = [];
  const maxRuns = Math.max(...sizes.map((s) => s.runs));
  for (let run = 0; run < maxRuns; run++) {
    // Rotate the order so no size always runs first after a restart.
    const order = sizes.filter((s) => run < s.runs);
    const rotated = order.map((_, i) => order[(i + run) % order.length]);
    for (const size of rotated) {
      const path = `/api/resource?cc=max-age%3D3600&size=${size.bytes}&run=${run}`;
      const url = `${originUrl}${path}`;

      const start = await page.evaluate(() => performance.now());
      const miss = await timedFetch(page, path);
      check(miss, size.bytes, 'miss', path);
      const storedAt = await waitForStored(page, url);
      samples.push({
        measure: 'miss (page)',
        size: size.label,
        variant: 'origin',
        ms: miss.ms,
        bytes: size.bytes,
      });
      samples.push({
        measure: 'store (fetch start to stored event)',
        size: size.label,
        variant: 'memory+idb',
        ms: storedAt - start,
        bytes: size.bytes,
      });
      // The write runs at the download's pace; what it adds is the time after the page's last byte.
      samples.push({
        measure: 'store lag after the last byte',
        size: size.label,
        variant: 'memory+idb',
        ms: storedAt - start - miss.ms,
        bytes: 0,
      });

      const warm = await timedFetch(page, path);
      samples.push({
        measure: 'hit, warm worker',
        size: size.label,
        variant: servedBy(warm.cacheStatus),
        ms: warm.ms,
        bytes: size.bytes,
      });
      check(warm, size.bytes, 'warm hit', path);

      await stopServiceWorkers(page);
      // Start the worker and open IndexedDB outside the measurement (a no-store request goes
      // through lookup, which opens the database), then let its start-up work settle.
      await timedFetch(page, `/api/resource?cc=no-store&body=warm-up&run=${run}-${size.bytes}`);
      await page.waitForTimeout(300);
      const cold = await timedFetch(page, path);
      samples.push({
        measure: 'hit, after restart',
        size: size.label,
        variant: servedBy(cold.cacheStatus),
        ms: cold.ms,
        bytes: size.bytes,
      });
      check(cold, size.bytes, 'hit after restart', path);
    }
    log(`worker bench: run ${run + 1}/${maxRuns}`);
  }
  return samples;
}

/**
 * @param {import('../lib/page-fetch.mjs').TimedFetch} result
 * @param {number} bytes
 * @param {string} what
 * @param {string} path
 */
function check(result, bytes, what, path) {
  if (result.bytes !== bytes)
    throw new Error(`${what} of ${path}: ${result.bytes} of ${bytes} bytes`);
  if (what !== 'miss' && servedBy(result.cacheStatus) === 'miss') {
    throw new Error(`${what} of ${path} was not a hit: ${result.cacheStatus}`);
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} url
 * @returns {Promise<number>}
 */
async function waitForStored(page, url) {
  const handle = await page.waitForFunction(
    (url) => /** @type {any} */ (window).storedAt[url],
    url,
    { timeout: 60_000, polling: 5 },
  );
  return /** @type {number} */ (await handle.jsonValue());
}
