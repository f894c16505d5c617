// What every section gets: the contenders, the worker control, where samples go.

/**
 * @typedef {object} BenchContext
 * @property {Record<string, import('../lib/contenders.mjs').Contender>} contenders by key of
 *   CONTENDERS (`ours`, `cacheFirst`, …)
 * @property {WorkerControl} workers
 * @property {import('../lib/report.mjs').Sample[]} samples
 * @property {boolean} quick
 * @property {(line: string) => void} log
 */

/**
 * Stops a contender's service worker (bench/lib/workers-cdp.mjs in Chromium,
 * bench/lib/workers-idle.mjs in Firefox).
 *
 * @typedef {object} WorkerControl
 * @property {(origin: string) => Promise<void>} stop the worker of `origin` (e.g.
 *   `http://127.0.0.1:4321`) is stopped when this resolves, or so the browser's rules say
 * @property {(origin: string) => Promise<void>} restarted call after the first request that
 *   follows `stop()`: throws unless a fresh instance answered it
 * @property {() => Promise<void>} close
 */

export {};
