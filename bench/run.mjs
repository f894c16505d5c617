/* global navigator -- page-side code passed to page.evaluate */
// Benchmarks sw-http-cache against Workbox, the browser's own HTTP cache, the network and a
// "floor" worker, side by side in one run (a benchmark, not a test: nothing asserts on time).
//
//   npm run bench [-- --quick] [-- --section=traffic,hits]
//   npm run bench -- --sizes     section 6's bundle sizes only (no browser): the minimal worker,
//                                each optional feature's weight, the per-module weights
//   npm run bench -- --browser=firefox [--quick]   Firefox ESR: the rows after a worker stop
//                                (section 1's IndexedDB hits, section 6's first hit), where the
//                                stop is Firefox's own idle timeout, set to 1 s and checked
//                                (bench/lib/workers-idle.mjs); bench/results/bench-firefox.json
//
// Headless Chromium on a persistent on-disk profile; every contender on its own origin (the e2e
// test origin, one port each), measured round-robin so drift hits all alike. Prints a table of
// medians and p90s with ratios and targets; writes every sample to bench/results/bench.json.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { launchBenchBrowser, launchBenchFirefox } from './lib/browser.mjs';
import { ROOT, buildBench } from './lib/build.mjs';
import { CONTENDERS, startContender } from './lib/contenders.mjs';
import { renderTable, summarize } from './lib/report.mjs';
import { refFor, targetFor } from './lib/targets.mjs';
import { watchWorkers } from './lib/workers-cdp.mjs';
import { IDLE_PREFS, IDLE_WAIT_MS, idleWorkers } from './lib/workers-idle.mjs';
import { measureBundles, runColdStart } from './sections/cold-start.mjs';
import { runCoalescing } from './sections/coalescing.mjs';
import { runHits } from './sections/hits.mjs';
import { runMemory } from './sections/memory.mjs';
import { runNavigation } from './sections/navigation.mjs';
import { runRanges } from './sections/ranges.mjs';
import { runEviction, runScale } from './sections/scale.mjs';
import { runStreaming } from './sections/streaming.mjs';
import { runTraffic } from './sections/traffic.mjs';

const quick = process.argv.includes('--quick');
const browserName =
  process.argv.find((arg) => arg.startsWith('--browser='))?.slice('--browser='.length) ??
  'chromium';
if (!['chromium', 'firefox'].includes(browserName)) {
  throw new Error(`--browser: chromium or firefox, not ${browserName}`);
}
const firefox = browserName === 'firefox';
/**
 * The sections Firefox runs: the others stop workers or read their heap through the DevTools
 * protocol, or need a worker that stays up longer than Firefox's shortened idle timeout.
 */
const FIREFOX_SECTIONS = ['hits', 'cold-start'];
/** `--section=a,b` runs only those sections (of SECTIONS), e.g. `traffic`. */
const only =
  process.argv
    .find((arg) => arg.startsWith('--section='))
    ?.slice('--section='.length)
    .split(',') ?? (firefox ? FIREFOX_SECTIONS : undefined);
/** Every section's name for `--section`, in the order they run. */
const SECTIONS = [
  'hits',
  'coalescing',
  'streaming',
  'ranges',
  'scale',
  'eviction',
  'cold-start',
  'memory',
  'navigation',
  'traffic',
];
const unknown = only?.filter((name) => !SECTIONS.includes(name)) ?? [];
if (unknown.length > 0) throw new Error(`--section: no ${unknown} (sections: ${SECTIONS})`);
const chromiumOnly = firefox
  ? (only?.filter((name) => !FIREFOX_SECTIONS.includes(name)) ?? [])
  : [];
if (chromiumOnly.length > 0) {
  throw new Error(`--browser=firefox: ${chromiumOnly} run in Chromium only (${FIREFOX_SECTIONS})`);
}
const wanted = (/** @type {string} */ name) => only === undefined || only.includes(name);
const sizesOnly = process.argv.includes('--sizes');
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const RESULTS = join(ROOT, 'bench', 'results', firefox ? 'bench-firefox.json' : 'bench.json');
const MiB = 1024 * 1024;

/**
 * Iteration counts: modest, so a full run takes a few minutes on 2 shared cores. Both plans are
 * written out whole on purpose (duplicates pairs them), so each reads as the run it describes.
 */
const PLAN = quick
  ? {
      hitSizes: [
        { label: '1 KB', bytes: 1_000, runs: 3 },
        { label: '100 KB', bytes: 100_000, runs: 3 },
        { label: '1 MB', bytes: 1_000_000, runs: 3 },
        { label: '10 MB', bytes: 10_000_000, runs: 2 },
      ],
      coalescingRuns: 1,
      streamingRuns: 2,
      rangeRuns: 3,
      scaleEntries: 2_000,
      scaleRuns: 3,
      coldRuns: 3,
      navigationRuns: 3,
      memoryBytes: 50 * MiB,
      traffic: { minutes: 15, runs: 1 },
    }
  : {
      hitSizes: [
        { label: '1 KB', bytes: 1_000, runs: 15 },
        { label: '100 KB', bytes: 100_000, runs: 15 },
        { label: '1 MB', bytes: 1_000_000, runs: 12 },
        { label: '10 MB', bytes: 10_000_000, runs: 6 },
      ],
      coalescingRuns: 3,
      streamingRuns: 5,
      rangeRuns: 10,
      scaleEntries: 10_000,
      scaleRuns: 8,
      coldRuns: 10,
      navigationRuns: 10,
      memoryBytes: 200 * MiB,
      traffic: { minutes: 30, runs: 2 },
    };

/**
 * Prints the table, the heaviest sources of the minimal worker and the targets met.
 *
 * @param {import('./lib/report.mjs').Row[]} rows
 * @param {{ source: string, minified: number, gzipShare: number }[]} weights
 * @param {string[]} [trafficLines] section 9's tables
 */
function printReport(rows, weights, trafficLines = []) {
  console.log(`\n${renderTable(rows).join('\n')}`);
  if (trafficLines.length > 0) console.log(trafficLines.join('\n'));
  if (weights.length > 0) {
    console.log('\nHeaviest sources of the minimal worker bundle (minified bytes, ~gzip share):\n');
  }
  for (const w of weights.slice(0, sizesOnly ? weights.length : 10)) {
    console.log(
      `  ${String(w.minified).padStart(6)}  ~${String(w.gzipShare).padStart(5)}  ${w.source}`,
    );
  }
  const missed = rows.filter((r) => r.result === 'missed');
  console.log(
    `\ntargets: ${rows.filter((r) => r.result === 'met').length} met, ${missed.length} missed` +
      `${missed.map((r) => `\n  missed: ${r.section}: ${r.measure}, ${r.size}, ${r.contender}`).join('')}`,
  );
}

if (sizesOnly) {
  log('building the bench workers into dist-bench/ …');
  await buildBench();
  /** @type {import('./lib/report.mjs').Sample[]} */
  const samples = [];
  const weights = await measureBundles({ samples, log });
  printReport(summarize(samples, targetFor, refFor), weights);
  process.exit(0);
}

log('building the bench workers into dist-bench/ …');
// In Firefox every worker answers which instance it is (a stop there is a wait, to be checked).
const dirs = await buildBench(firefox ? { prelude: 'bench/workers/instance-probe.ts' } : {});
const { context, profile, description } = firefox
  ? await launchBenchFirefox('bench', IDLE_PREFS)
  : await launchBenchBrowser('bench');
/** @type {import('./lib/contenders.mjs').Contender[]} */
const started = [];

try {
  /** @type {Record<string, import('./lib/contenders.mjs').Contender>} */
  const contenders = {};
  for (const [key, spec] of Object.entries(CONTENDERS)) {
    contenders[key] = await startContender(context, spec, dirs);
    started.push(contenders[key]);
  }
  const version = await contenders.ours.page.evaluate(() => navigator.userAgent);
  log(`${description}; ${version}; profile ${profile}`);
  const workers = firefox
    ? idleWorkers(contenders, IDLE_WAIT_MS)
    : await watchWorkers(contenders.ours.page);
  /** @type {import('./sections/context.mjs').BenchContext} */
  const ctx = { contenders, workers, samples: [], quick, log };
  const startedAt = Date.now();

  if (wanted('hits')) await runHits(ctx, PLAN.hitSizes, { restartedOnly: firefox });
  if (wanted('coalescing')) await runCoalescing(ctx, PLAN.coalescingRuns);
  if (wanted('streaming')) await runStreaming(ctx, PLAN.streamingRuns);
  if (wanted('ranges')) await runRanges(ctx, PLAN.rangeRuns);
  if (wanted('scale')) await runScale(ctx, { entries: PLAN.scaleEntries, runs: PLAN.scaleRuns });
  if (wanted('eviction')) await runEviction(ctx, PLAN.scaleRuns);
  if (wanted('cold-start')) await runColdStart(ctx, PLAN.coldRuns);
  // Bundle sizes do not depend on the browser: Chromium's run prints them.
  const weights = wanted('cold-start') && !firefox ? await measureBundles(ctx) : [];
  if (wanted('memory')) await runMemory(ctx, PLAN.memoryBytes);
  if (wanted('navigation')) await runNavigation(ctx, PLAN.navigationRuns);
  const trafficLines = wanted('traffic') ? await runTraffic(ctx, PLAN.traffic) : [];
  await workers.close();

  const rows = summarize(ctx.samples, targetFor, refFor);
  printReport(rows, weights, trafficLines);
  log(`\n${quick ? 'quick' : 'full'} run: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);

  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  const summary = rows.map(({ values: _values, ...row }) => row);
  await writeFile(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        only,
        browser: { name: browserName, description, version },
        node: process.version,
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        plan: PLAN,
        summary,
        bundleWeights: weights,
        samples: ctx.samples,
      },
      null,
      2,
    )}\n`,
  );
  log(`raw samples: ${RESULTS}`);
} finally {
  await context.close();
  for (const contender of started) await contender.origin.close();
  await rm(profile, { recursive: true, force: true });
}
