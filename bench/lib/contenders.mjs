// The contenders: each on its own origin (its own port), so registrations, caches and databases
// never collide, with one page that the measurements run in.
import { startOrigin } from '../../e2e/server/origin.mjs';
import { MINIMAL_WORKER } from './feature-bundles.mjs';

/**
 * @typedef {object} ContenderSpec
 * @property {string} name printed in the table
 * @property {string} dir a key of the directories buildBench() returned
 * @property {string} [worker] the worker's script URL (with its query), none for no worker
 *
 * @typedef {object} Contender
 * @property {string} name
 * @property {string} url the origin, e.g. `http://127.0.0.1:41234`
 * @property {import('../../e2e/server/origin.mjs').Origin} origin
 * @property {import('playwright-core').Page} page controlled by the worker, if any
 * @property {() => Promise<import('playwright-core').Page>} openTab another controlled page
 */

const MiB = 1024 * 1024;
/** Our worker in the latency sections: room for a 100 MB body and 10,000 entries. */
const OURS = `/sw.js?maxBodySize=${300 * MiB}&maxBytes=${1024 * MiB}&maxEntries=20000`;

/** @type {Record<string, ContenderSpec>} */
export const CONTENDERS = {
  ours: { name: 'sw-http-cache', dir: 'sw-http-cache', worker: OURS },
  oursMinimal: { name: MINIMAL_WORKER, dir: 'sw-http-cache-minimal', worker: OURS },
  cacheFirst: { name: 'workbox CacheFirst', dir: 'workbox-cache-first', worker: '/sw.js' },
  swr: { name: 'workbox SWR', dir: 'workbox-swr', worker: '/sw.js' },
  browser: { name: 'browser HTTP cache', dir: 'no-worker' },
  network: { name: 'network (no-store)', dir: 'no-worker' },
  floor: { name: 'floor (ArrayBuffer in worker)', dir: 'floor', worker: '/sw.js' },
  scale10: { name: 'sw-http-cache, 10 entries', dir: 'sw-http-cache', worker: OURS },
  scale10k: { name: 'sw-http-cache, 10,000 entries', dir: 'sw-http-cache', worker: OURS },
  scaleMinimal: {
    name: `${MINIMAL_WORKER}, admission`,
    dir: 'sw-http-cache-minimal',
    worker: OURS,
  },
  scaleWorkbox: {
    name: 'workbox CacheFirst, admission',
    dir: 'workbox-cache-first',
    worker: '/sw.js',
  },
  navOurs: { name: 'sw-http-cache, no preload', dir: 'sw-http-cache', worker: OURS },
  navOursPreload: {
    name: 'sw-http-cache, navigation preload',
    dir: 'sw-http-cache',
    worker: `${OURS}&navigationPreload=1`,
  },
  navNetworkFirstPreload: {
    name: 'workbox NetworkFirst, navigation preload',
    dir: 'workbox-network-first-preload',
    worker: '/sw.js',
  },
  evict: {
    name: 'sw-http-cache, 1 MB budget',
    dir: 'sw-http-cache',
    worker: `/sw.js?maxBytes=${1_000_000}&maxEntries=20000`,
  },
};

/**
 * Starts the origin of `spec` and opens its page, controlled by its worker when it has one.
 *
 * @param {import('playwright-core').BrowserContext} context
 * @param {ContenderSpec} spec
 * @param {Record<string, string>} dirs
 * @returns {Promise<Contender>}
 */
export async function startContender(context, spec, dirs) {
  const origin = await startOrigin({ staticDir: dirs[spec.dir] });
  const pagePath =
    spec.worker === undefined ? '/bench.html' : `/bench.html?sw=${encodeURIComponent(spec.worker)}`;
  const openTab = async () => {
    const page = await context.newPage();
    await page.goto(`${origin.url}${pagePath}`);
    await page.evaluate(() => /** @type {any} */ (globalThis).swReady);
    return page;
  };
  return { name: spec.name, url: origin.url, origin, page: await openTab(), openTab };
}
