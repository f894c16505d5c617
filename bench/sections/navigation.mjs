/* global performance -- page-side code passed to page.evaluate */
// 8. Navigations: the first navigation after the worker was stopped (the worker must start
// before it can answer), for an HTML document the origin serves with `no-cache` and an ETag from
// 20 ms away. sw-http-cache revalidates it with a conditional request (a 304 keeps the stored
// body); with navigation preload the browser sends the request while the worker starts and the
// cache takes the preload's answer instead. Workbox NetworkFirst with navigation preload is the
// usual way to get the same start.
import { servedBy } from '../lib/cache-status.mjs';

const DOCUMENT = `/api/resource?ctype=${encodeURIComponent('text/html; charset=utf-8')}&cc=no-cache&etag=nav&delay=20&size=20000`;

/** The contenders of this section, by key of CONTENDERS. */
export const NAVIGATION_CONTENDERS = ['navOurs', 'navOursPreload', 'navNetworkFirstPreload'];

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runNavigation(ctx, runs) {
  const keys = NAVIGATION_CONTENDERS;
  // A first visit stores the document (and the Workbox cache gets its copy).
  for (const key of keys)
    await ctx.contenders[key].page.goto(`${ctx.contenders[key].url}${DOCUMENT}`);
  for (let run = 0; run < runs; run++) {
    for (const key of run % 2 === 0 ? keys : [...keys].reverse()) {
      const contender = ctx.contenders[key];
      await ctx.workers.stop(contender.url);
      const response = await contender.page.goto(`${contender.url}${DOCUMENT}`);
      const ms = await contender.page.evaluate(() => {
        const [entry] = performance.getEntriesByType('navigation');
        return entry ? entry.responseEnd - entry.startTime : Number.NaN;
      });
      ctx.samples.push({
        section: '8 navigation',
        measure: 'first navigation after a worker stop',
        size: '20 KB',
        contender: contender.name,
        value: ms,
        unit: 'ms',
        served: servedBy(response?.headers()['cache-status'] ?? null),
      });
    }
  }
  ctx.log('navigation: done');
}
