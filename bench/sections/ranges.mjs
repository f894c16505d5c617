/* global fetch -- page-side code passed to page.evaluate */
// 4. Ranges: 1 KB from the middle of a stored 100 MB body vs of a stored 1 MB body (both in
// IndexedDB: the worker is restarted first, and a partial read never refills memory); latency,
// and the worker's heap right after each read.
import { attachWorker } from '../lib/workers-cdp.mjs';
import { servedBy } from '../lib/cache-status.mjs';
import { sleep, timedFetch } from '../lib/page-fetch.mjs';

const BODIES = [
  { label: '1 MB', bytes: 1_000_000 },
  { label: '100 MB', bytes: 100_000_000 },
];

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runRanges(ctx, runs) {
  const { ours } = ctx.contenders;
  const path = (/** @type {number} */ bytes) => `/api/big?size=${bytes}&cc=max-age%3D3600&b=range`;
  for (const body of BODIES) await drain(ours.page, path(body.bytes));
  // The 100 MB write may finish a little after the page's last byte: wait for a stored hit.
  for (const body of BODIES) {
    for (let attempt = 0; ; attempt++) {
      const probe = await timedFetch(ours.page, path(body.bytes), {
        headers: { range: 'bytes=0-0' },
      });
      if (servedBy(probe.cacheStatus) !== 'miss' && probe.status === 206) break;
      if (attempt > 60) throw new Error(`${body.label} was not stored: ${probe.cacheStatus}`);
      await sleep(500);
    }
  }
  await ctx.workers.stop(ours.url);
  await timedFetch(ours.page, `/api/resource?cc=no-store&body=warm-up`);
  await sleep(300);
  const worker = await attachWorker(ours.page, ours.url);
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? BODIES : [...BODIES].reverse();
      for (const body of order) {
        const middle = Math.floor(body.bytes / 2);
        const result = await timedFetch(ours.page, path(body.bytes), {
          headers: { range: `bytes=${middle}-${middle + 999}` },
        });
        const heap = await worker.heap();
        if (result.status !== 206 || result.bytes !== 1000) {
          throw new Error(`range of ${body.label}: ${result.status}, ${result.bytes} bytes`);
        }
        const common = { section: '4 ranges', size: `1 KB of ${body.label}`, contender: ours.name };
        const served = servedBy(result.cacheStatus);
        ctx.samples.push({
          ...common,
          measure: 'range latency',
          value: result.ms,
          unit: 'ms',
          served,
        });
        ctx.samples.push({
          ...common,
          measure: 'worker heap after the read',
          value: heap / 1024 / 1024,
          unit: 'MiB',
          served,
        });
      }
    }
  } finally {
    await worker.detach();
  }
  ctx.log('ranges: done');
}

/**
 * Reads a whole body in the page without keeping it.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} path
 */
function drain(page, path) {
  return page.evaluate(async (path) => {
    const response = await fetch(path);
    const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
    while (!(await reader.read()).done);
  }, path);
}
