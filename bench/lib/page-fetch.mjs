/* global window, performance, fetch, BroadcastChannel -- page-side code passed to page.evaluate */
// Fetches timed inside a page: from `fetch()` to the body fully read, with performance.now().

/**
 * @typedef {{ ms: number, bytes: number, status: number, cacheStatus: string | null }} TimedFetch
 */

/**
 * @param {import('playwright-core').Page} page
 * @param {string} path
 * @param {RequestInit} [init] e.g. `{ cache: 'no-store' }` or range headers
 * @returns {Promise<TimedFetch>}
 */
export function timedFetch(page, path, init = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const start = performance.now();
      const response = await fetch(path, init);
      const bytes = (await response.arrayBuffer()).byteLength;
      return {
        ms: performance.now() - start,
        bytes,
        status: response.status,
        cacheStatus: response.headers.get('cache-status'),
      };
    },
    { path, init },
  );
}

/**
 * Fetches every path from the page, `concurrency` at a time, reading each body; resolves with
 * the elapsed ms.
 *
 * @param {import('playwright-core').Page} page
 * @param {string[]} paths
 * @param {number} concurrency
 */
export function fetchAll(page, paths, concurrency) {
  return page.evaluate(
    async ({ paths, concurrency }) => {
      const start = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < paths.length) {
          const response = await fetch(paths[next++]);
          await response.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return performance.now() - start;
    },
    { paths, concurrency },
  );
}

/**
 * Records sw-http-cache's `stored` and `evicted` events in the page (`window.cacheEvents`), with
 * their arrival time on the page's clock.
 *
 * @param {import('playwright-core').Page} page
 */
export async function recordCacheEvents(page) {
  await page.evaluate(() => {
    /** @type {{ type: string, keys: string[], at: number }[]} */
    const events = [];
    Object.assign(window, { cacheEvents: events });
    const channel = new BroadcastChannel('sw-http-cache:events');
    channel.onmessage = ({ data }) => {
      if (typeof data?.type !== 'string' || !Array.isArray(data.keys)) return;
      events.push({
        type: data.type,
        keys: data.keys.map((/** @type {any} */ key) => key.primary),
        at: performance.now(),
      });
    };
  });
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
