/* global performance, fetch -- page-side code passed to page.evaluate */
// Where a hit's time goes (a profile, not a test: nothing asserts on time).
//
//   node bench/profile.mjs [--runs=8] [--sizes=1000,100000,1000000,10000000]
//                          [--modes=restarted,cold,warm] [--chunk=bytes] [--browser=firefox]
//                          [--ours=bench/workers/sw-http-cache.ts]
//
// sw-http-cache and Workbox CacheFirst, each with the profiler of bench/workers/trace.ts run
// before it in the same script (it wraps IndexedDB, Cache Storage, Blob reads, BroadcastChannel posts and
// `respondWith`; the library is not changed). For each size and mode, interleaved:
//   restarted  the hits section's IndexedDB row: worker stopped, a no-store request starts it,
//              300 ms later the measured hit;
//   cold       the cold-start row: worker stopped, the measured hit starts it;
//   warm       a hit right after another one (memory for us, the same Cache Storage for Workbox).
// Prints, per contender and size, the medians of each milestone on the page's clock (ms after
// `fetch()`), the platform calls made before the response and after it, and the timeline of the
// median sample of each row. `--browser=firefox`: in Firefox ESR, workers stopped by its idle
// timeout and each stop checked, as `npm run bench -- --browser=firefox` does.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { launchBenchBrowser, launchBenchFirefox } from './lib/browser.mjs';
import { ROOT, buildContenderDir, bundledScript } from './lib/build.mjs';
import { startContender } from './lib/contenders.mjs';
import { sleep, timedFetch } from './lib/page-fetch.mjs';
import { watchWorkers } from './lib/workers-cdp.mjs';
import { IDLE_PREFS, IDLE_WAIT_MS, idleWorkers } from './lib/workers-idle.mjs';
import { percentile } from './storage/stats.mjs';

const arg = (/** @type {string} */ name, /** @type {string} */ fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const RUNS = Number(arg('runs', '8'));
const SIZES = arg('sizes', '1000,100000,1000000,10000000').split(',').map(Number);
const MODES = arg('modes', 'restarted,cold,warm').split(',');
/** Our worker's IndexedDB chunk size (`--chunk=`), the library's default when not given. */
const CHUNK = arg('chunk', '');
/** Our worker's entry (`--ours=`): every feature by default, `…/sw-http-cache-minimal.ts` for none. */
const OURS_ENTRY = arg('ours', 'bench/workers/sw-http-cache.ts');
const firefox = arg('browser', 'chromium') === 'firefox';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const OUT = join(ROOT, 'dist-bench', 'profile');
const MiB = 1024 * 1024;

const WORKERS = {
  ours: {
    name: 'sw-http-cache',
    entry: OURS_ENTRY,
    worker: `/sw.js?maxBodySize=${300 * MiB}&maxBytes=${1024 * MiB}&maxEntries=20000${CHUNK && `&chunkSize=${CHUNK}`}`,
  },
  workbox: {
    name: 'workbox CacheFirst',
    entry: 'bench/workers/workbox-cache-first.ts',
    worker: '/sw.js',
  },
};

/** @typedef {{ what: string, start: number, end?: number }} TraceEvent */

const label = (/** @type {number} */ bytes) =>
  bytes >= 1e6 ? `${bytes / 1e6} MB` : bytes >= 1e3 ? `${bytes / 1e3} KB` : `${bytes} B`;
const path = (/** @type {number} */ bytes) => `/api/big?size=${bytes}&cc=max-age%3D3600&b=profile`;
const isStorage = (/** @type {string} */ what) => /^(idb|tx|cache)/.test(what);

// Each served worker is the profiler's script followed by the contender's, so the profiler's
// wrappers are in place before the contender's code runs.
const trace = await bundledScript('bench/workers/trace.ts', OUT, 'trace.js');
// In Firefox the instance probe runs first, as in `npm run bench -- --browser=firefox`.
const prelude = firefox
  ? `${await bundledScript('bench/workers/instance-probe.ts', OUT, 'probe.js')}\n${trace}`
  : trace;
/** @type {Record<string, string>} */
const dirs = {};
for (const [key, { entry }] of Object.entries(WORKERS)) {
  dirs[key] = join(OUT, key);
  await buildContenderDir(entry, dirs[key], {
    prelude,
    suffix: "self.__traceMark('evaluated');\n",
  });
}

const { context, profile } = firefox
  ? await launchBenchFirefox('profile', IDLE_PREFS)
  : await launchBenchBrowser('profile');
/** @type {import('./lib/contenders.mjs').Contender[]} */
const started = [];
try {
  for (const [key, spec] of Object.entries(WORKERS)) {
    started.push(
      await startContender(context, { name: spec.name, dir: key, worker: spec.worker }, dirs),
    );
  }
  const workers = firefox
    ? idleWorkers(Object.fromEntries(started.map((c) => [c.name, c])), IDLE_WAIT_MS)
    : await watchWorkers(started[0].page);
  for (const c of started) for (const size of SIZES) await timedFetch(c.page, path(size));
  await sleep(1000);

  /** @type {Map<string, ReturnType<typeof milestones>[]>} */
  const rows = new Map();
  for (let run = 0; run < RUNS; run++) {
    for (const mode of MODES) {
      for (const size of SIZES) {
        const order = run % 2 === 0 ? started : [...started].reverse();
        for (const c of order) {
          const sample = await measure(c, mode, size);
          const id = `${mode}\u0000${label(size)}\u0000${c.name}`;
          rows.set(id, [...(rows.get(id) ?? []), sample]);
        }
      }
    }
    log(`profile: run ${run + 1}/${RUNS}`);
  }
  await workers.close();
  print(rows);

  /**
   * @param {import('./lib/contenders.mjs').Contender} c
   * @param {string} mode
   * @param {number} size
   */
  async function measure(c, mode, size) {
    if (mode === 'restarted' || mode === 'cold') await workers.stop(c.url);
    if (mode === 'restarted') {
      await timedFetch(c.page, '/api/resource?cc=no-store&body=warm-up');
      await workers.restarted(c.url);
      await sleep(300);
    }
    if (mode === 'warm') await timedFetch(c.page, path(size));
    const timed = await c.page.evaluate(async (p) => {
      const start = performance.now();
      const response = await fetch(p);
      const bytes = (await response.arrayBuffer()).byteLength;
      return { origin: performance.timeOrigin + start, ms: performance.now() - start, bytes };
    }, path(size));
    if (timed.bytes !== size) throw new Error(`${c.name}: ${timed.bytes} of ${size} bytes`);
    if (mode === 'cold') await workers.restarted(c.url);
    await sleep(mode === 'cold' ? 300 : 100); // what the hit leaves for after the response
    const trace = /** @type {{ timeOrigin: number, events: TraceEvent[] }} */ (
      await c.page.evaluate(async () => (await fetch('/__trace')).json())
    );
    const shift = trace.timeOrigin - timed.origin;
    const events = trace.events
      .map((e) => ({
        what: e.what,
        start: e.start + shift,
        end: e.end === undefined ? undefined : e.end + shift,
      }))
      .filter((e) => e.what === 'script' || e.start >= -1)
      .sort((a, b) => a.start - b.start);
    return milestones(events, timed.ms, mode === 'cold', size);
  }
} finally {
  await context.close();
  for (const c of started) await c.origin.close();
  await rm(profile, { recursive: true, force: true });
}

/**
 * @param {{ what: string, start: number, end: number | undefined }[]} events on the page's clock
 * @param {number} lastByte
 * @param {boolean} cold
 * @param {number} size
 */
function milestones(events, lastByte, cold, size) {
  const fetchEvent = events.find(
    (e) => e.what.startsWith('fetch /api/big') && e.what.includes(`size=${size}&`),
  );
  const responded = events.find(
    (e) => e.what === 'respondWith' && fetchEvent !== undefined && e.start >= fetchEvent.start,
  );
  const respondedAt = responded?.end ?? Number.NaN;
  const storage = events.filter(
    (e) => isStorage(e.what) && fetchEvent && e.start >= fetchEvent.start,
  );
  const before = storage.filter((e) => e.start <= respondedAt);
  const after = storage.filter((e) => e.start > respondedAt);
  const count = (/** @type {typeof events} */ list, /** @type {RegExp} */ re) =>
    list.filter((e) => re.test(e.what)).length;
  const script = events.find((e) => e.what === 'script');
  const evaluated = events.find((e) => e.what === 'evaluated');
  return {
    lastByte,
    script: cold && script ? (script.end ?? Number.NaN) : Number.NaN,
    evaluated: cold && evaluated ? evaluated.start : Number.NaN,
    event: fetchEvent?.start ?? Number.NaN,
    firstStorage: before[0]?.start ?? Number.NaN,
    storageDone: Math.max(...before.map((e) => e.end ?? Number.NaN)),
    responded: respondedAt,
    txBefore: count(before, /^tx /),
    requestsBefore: count(before, /^(idb|cache)/),
    blobReads: count(
      events.filter((e) => e.start > (fetchEvent?.start ?? 0)),
      /^blob /,
    ),
    posts: count(
      events.filter((e) => e.start > (fetchEvent?.start ?? 0)),
      /^post /,
    ),
    txAfter: count(after, /^tx /),
    events,
  };
}

/** @param {Map<string, ReturnType<typeof milestones>[]>} rows */
function print(rows) {
  const f = (/** @type {number} */ v) => (Number.isNaN(v) ? '-' : v.toFixed(1));
  const med = (/** @type {number[]} */ xs) =>
    percentile(
      xs.filter((x) => !Number.isNaN(x)),
      0.5,
    );
  console.log(
    '\n| mode | size | contender | n | script ran | script evaluated | fetch event | 1st storage call | storage done | respondWith resolved | last byte | tx before | requests before | tx after | blob reads | posts |',
  );
  console.log(`|${' --- |'.repeat(16)}`);
  for (const [id, samples] of rows) {
    const [mode, size, contender] = id.split('\u0000');
    const m = (/** @type {keyof ReturnType<typeof milestones>} */ k) =>
      f(med(samples.map((s) => /** @type {number} */ (s[k]))));
    console.log(
      `| ${mode} | ${size} | ${contender} | ${samples.length} | ${m('script')} | ${m('evaluated')} | ${m('event')} | ${m('firstStorage')} | ${m('storageDone')} | ${m('responded')} | ${m('lastByte')} | ${m('txBefore')} | ${m('requestsBefore')} | ${m('txAfter')} | ${m('blobReads')} | ${m('posts')} |`,
    );
  }
  console.log('\nTimelines of the median sample (ms after fetch(); start → end):');
  for (const [id, samples] of rows) {
    const sorted = [...samples].sort((a, b) => a.lastByte - b.lastByte);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    console.log(`\n${id.split('\u0000').join(', ')}: last byte ${f(median.lastByte)}`);
    for (const e of median.events) {
      console.log(
        `  ${f(e.start).padStart(7)} → ${(e.end === undefined ? '?' : f(e.end)).padStart(7)}  ${e.what}`,
      );
    }
  }
}
