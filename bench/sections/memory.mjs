/* global performance, fetch -- page-side code passed to page.evaluate */
// 7. Memory: the worker's live heap (after a collection; JS heap plus ArrayBuffer stores) while a
// page reads a 200 MB body slowly (1 MiB every 25 ms) through the worker, which stores it
// (sampled like e2e/coalescing-failures.spec.ts does); sw-http-cache vs Workbox CacheFirst.
import { attachWorker } from '../lib/workers-cdp.mjs';
import { sleep, timedFetch } from '../lib/page-fetch.mjs';

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} bytes body size
 */
export async function runMemory(ctx, bytes) {
  const size = `${Math.round(bytes / 1024 / 1024)} MiB, read slowly`;
  for (const key of ['ours', 'cacheFirst']) {
    const contender = ctx.contenders[key];
    await timedFetch(contender.page, `/api/resource?cc=no-store&body=warm-up`); // worker running
    const worker = await attachWorker(contender.page, contender.url);
    /** @type {number[]} */
    const samples = [];
    let sampling = true;
    const loop = (async () => {
      while (sampling) {
        samples.push(await worker.heap({ collect: true }));
        await sleep(100);
      }
    })();
    try {
      await sleep(300);
      const before = samples[0] ?? Number.NaN;
      const read = await contender.page.evaluate(async (path) => {
        const start = performance.now();
        const response = await fetch(path);
        const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
        let total = 0;
        let sincePause = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          sincePause += value.byteLength;
          if (sincePause >= 1024 * 1024) {
            sincePause = 0;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }
        return { total, ms: performance.now() - start };
      }, `/api/big?size=${bytes}&cc=max-age%3D3600&m=1`);
      if (read.total !== bytes)
        throw new Error(`${contender.name}: read ${read.total} of ${bytes}`);
      sampling = false;
      await loop;
      const common = {
        section: '7 memory',
        size,
        contender: contender.name,
        unit: /** @type {const} */ ('MiB'),
      };
      ctx.samples.push({ ...common, measure: 'worker heap before', value: before / 1024 / 1024 });
      ctx.samples.push({
        ...common,
        measure: 'worker heap, peak while reading',
        value: Math.max(...samples) / 1024 / 1024,
      });
      ctx.log(
        `memory: ${contender.name}: ${samples.length} samples over ${(read.ms / 1000).toFixed(1)} s`,
      );
    } finally {
      sampling = false;
      await loop;
      await worker.detach();
    }
  }
}
