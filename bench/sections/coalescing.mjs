/* global performance, fetch -- page-side code passed to page.evaluate */
// 2. Coalescing: 50 concurrent cold requests for one resource from 5 tabs (10 each); how many
// reach the origin. The body is slow (4 chunks, one per 100 ms) so every request is in flight
// while the first download is still going on.

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runCoalescing(ctx, runs) {
  const keys = ['ours', 'cacheFirst', 'swr'];
  /** @type {Record<string, import('playwright-core').Page[]>} */
  const tabs = {};
  for (const key of keys) {
    const contender = ctx.contenders[key];
    tabs[key] = [contender.page];
    for (let i = 1; i < 5; i++) tabs[key].push(await contender.openTab());
  }
  try {
    for (let run = 0; run < runs; run++) {
      const order = keys.map((_, i) => keys[(i + run) % keys.length]);
      for (const key of order) {
        const contender = ctx.contenders[key];
        const path = `/api/slow?id=co-${run}&chunks=4&chunkSize=65536&interval=100&cc=max-age%3D3600`;
        const times = await Promise.all(
          tabs[key].map((tab) =>
            tab.evaluate(async (path) => {
              const start = performance.now();
              const bodies = await Promise.all(
                Array.from({ length: 10 }, () =>
                  fetch(path).then((response) => response.arrayBuffer()),
                ),
              );
              if (bodies.some((body) => body.byteLength !== 4 * 65536)) throw new Error('short');
              return performance.now() - start;
            }, path),
          ),
        );
        const common = { section: '2 coalescing', size: '256 KB, 50 requests' };
        ctx.samples.push({
          ...common,
          measure: 'requests reaching the origin',
          contender: contender.name,
          value: contender.origin.count(path),
          unit: 'requests',
        });
        ctx.samples.push({
          ...common,
          measure: 'slowest of the 50 (ms)',
          contender: contender.name,
          value: Math.max(...times),
          unit: 'ms',
        });
      }
      ctx.log(`coalescing: run ${run + 1}/${runs}`);
    }
  } finally {
    for (const key of keys) for (const tab of tabs[key].slice(1)) await tab.close();
  }
}
