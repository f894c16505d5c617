// What every section gets: the contenders, the worker control, where samples go.

/**
 * @typedef {object} BenchContext
 * @property {Record<string, import('../lib/contenders.mjs').Contender>} contenders by key of
 *   CONTENDERS (`ours`, `cacheFirst`, …)
 * @property {Awaited<ReturnType<typeof import('../lib/workers-cdp.mjs').watchWorkers>>} workers
 * @property {import('../lib/report.mjs').Sample[]} samples
 * @property {boolean} quick
 * @property {(line: string) => void} log
 */

export {};
