/* global fetch, performance, AbortController -- page-side code passed to page.evaluate */
// Media: a watch-and-seek pattern on a ~20 MB file, the way a <video> reads it (open-ended
// ranges, dropped when the user seeks), through sw-http-cache, Workbox's media setup (CacheFirst
// keeping 200s + RangeRequestsPlugin), the browser's HTTP cache and the network; and the time to
// the first byte of a range read from a sparse entry's pieces against the same range read from
// the complete entry. A benchmark, not a test: nothing asserts on time.
//
//   node bench/media.mjs [--runs N]
//
// Bytes are those the origin handed to its sockets for /api/media (e2e/server/media-route.mjs),
// so a read the page drops still counts what was sent before it stopped.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { launchBenchBrowser } from './lib/browser.mjs';
import { MEDIA_DIR, mediaBytesSent, mediaSpansSent } from '../e2e/server/media-route.mjs';
import { buildBench } from './lib/build.mjs';
import { CONTENDERS, startContender } from './lib/contenders.mjs';
import { sleep } from './lib/page-fetch.mjs';
import { percentile } from './storage/stats.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const SIZE = 20 * 1000 * 1000;
const FILE = 'bench-20mb.webm';
const PATH = `/api/media?file=${FILE}`;
/** The first-byte probes' two copies of the file: one kept as pieces, one complete. */
const PIECES_FILE = 'bench-20mb-pieces.webm';
const WHOLE_FILE = 'bench-20mb-whole.webm';
const PIECES_PATH = `/api/media?file=${PIECES_FILE}`;
const WHOLE_PATH = `/api/media?file=${WHOLE_FILE}`;
/** First-byte probes per entry and run. */
const PROBES = 20;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @type {{ key: string, spec: import('./lib/contenders.mjs').ContenderSpec, init?: RequestInit }[]} */
const CONTENDERS_HERE = [
  { key: 'ours', spec: CONTENDERS.ours },
  {
    key: 'workbox',
    spec: {
      name: 'workbox CacheFirst + RangeRequestsPlugin',
      dir: 'workbox-range-requests',
      worker: '/sw.js',
    },
  },
  { key: 'browser', spec: CONTENDERS.browser },
  { key: 'network', spec: CONTENDERS.network, init: { cache: 'no-store' } },
];

/**
 * Reads `path` from byte `start` with an open range, until byte `stop` (then drops the read, as
 * a media element does when the user seeks). Resolves with the time to the first byte.
 *
 * @param {import('playwright-core').Page} page
 * @param {{ path?: string, start: number, stop: number, closed?: boolean, init?: RequestInit }} read
 *   `closed`: ask for `start-stop` exactly instead of an open range
 * @param {boolean} [noRange] send no `Range` at all (`start` must be 0)
 */
function rangeRead(page, { path = PATH, start, stop, closed = false, init = {} }, noRange = false) {
  return page.evaluate(
    async ({ path, start, stop, closed, init, noRange }) => {
      const controller = new AbortController();
      const t0 = performance.now();
      const response = await fetch(path, {
        ...init,
        headers: noRange ? {} : { range: `bytes=${start}-${closed ? stop - 1 : ''}` },
        signal: controller.signal,
      });
      const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
      let got = 0;
      let ttfb = Number.NaN;
      while (got < stop - start) {
        const { done, value } = await reader.read();
        if (done) break;
        if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
        got += value.byteLength;
      }
      controller.abort();
      await reader.cancel().catch(() => undefined);
      return {
        ttfb,
        total: performance.now() - t0,
        got,
        status: response.status,
        cacheStatus: response.headers.get('cache-status'),
      };
    },
    { path, start, stop, closed, init, noRange },
  );
}

/** The watch: play to 30 %, seek to 60 % and play to the end, seek back to 30 % and play to 60 %. */
const WATCH = [
  [0, 0.3],
  [0.6, 1],
  [0.3, 0.6],
];
/** The re-watch: all of it, then five seeks that each play 1 MB. */
const REWATCH = [[0, 1], ...[0.1, 0.5, 0.9, 0.2, 0.7].map((s) => [s, s + 1_000_000 / SIZE])];

/**
 * @param {import('./lib/contenders.mjs').Contender} contender
 * @param {RequestInit | undefined} init
 */
async function watchAndSeek(contender, init) {
  const before = mediaBytesSent(contender.origin.port);
  // Ports may be reused by a later run's origin: only this watch's spans.
  const spansBefore = mediaSpansSent(contender.origin.port).length;
  for (const [from, to] of [...WATCH, ...REWATCH]) {
    const start = Math.floor(SIZE * (from ?? 0));
    const stop = Math.min(SIZE, Math.floor(SIZE * (to ?? 1)));
    await rangeRead(contender.page, { start, stop, init }).catch((error) => {
      throw new Error(`${contender.name}: reading ${start}-${stop} failed`, { cause: error });
    });
    await sleep(200); // the worker stores what it received
  }
  return {
    ratio: (mediaBytesSent(contender.origin.port) - before) / SIZE,
    spans: mediaSpansSent(contender.origin.port).slice(spansBefore),
  };
}

/**
 * Time to the first byte of 64 KB at 10 %, from a sparse entry's pieces and from a complete
 * entry: two copies of the file under two URLs, one read 0-30 % with a closed range (it stays
 * sparse), the other read whole (it becomes complete). The probes alternate (ABBA), so a slow
 * moment of the machine falls on both.
 *
 * @param {import('./lib/contenders.mjs').Contender} ours
 * @param {number} pairs
 */
async function firstByteTimes(ours, pairs) {
  const start = Math.floor(SIZE * 0.1);
  const probe = (/** @type {string} */ path) =>
    rangeRead(ours.page, { path, start, stop: start + 65_536, closed: true });
  await rangeRead(ours.page, {
    path: PIECES_PATH,
    start: 0,
    stop: Math.floor(SIZE * 0.3),
    closed: true,
  });
  await rangeRead(ours.page, { path: WHOLE_PATH, start: 0, stop: SIZE });
  await sleep(2000); // the pieces are stored, the complete body compacted
  /** @type {Awaited<ReturnType<typeof rangeRead>>[]} */
  const pieces = [];
  /** @type {Awaited<ReturnType<typeof rangeRead>>[]} */
  const whole = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      pieces.push(await probe(PIECES_PATH));
      whole.push(await probe(WHOLE_PATH));
    } else {
      whole.push(await probe(WHOLE_PATH));
      pieces.push(await probe(PIECES_PATH));
    }
  }
  return { pieces, whole };
}

/**
 * Time to read the whole file on a miss, each on a fresh origin: through the worker with
 * `bytes=0-` (asked of the origin in windows, each asked ahead, stored as pieces), through the
 * worker with no `Range` (one request, stored as a complete entry), and from the network with
 * `bytes=0-` (one request, nothing stored).
 *
 * @param {import('./lib/contenders.mjs').Contender} ours a fresh worker, nothing stored
 * @param {import('./lib/contenders.mjs').Contender} oursWhole another fresh worker
 * @param {import('./lib/contenders.mjs').Contender} network
 */
async function wholeReadTimes(ours, oursWhole, network) {
  const windows = await rangeRead(ours.page, { start: 0, stop: SIZE });
  const one = await rangeRead(oursWhole.page, { start: 0, stop: SIZE }, true);
  const bare = await rangeRead(network.page, { start: 0, stop: SIZE, init: { cache: 'no-store' } });
  if ([windows, one, bare].some((read) => read.got !== SIZE)) {
    throw new Error('a whole read came short');
  }
  return { windows: windows.total, one: one.total, network: bare.total };
}

/**
 * The bytes of the file that more than one response sent, as spans.
 *
 * @param {{ start: number, end: number }[]} spans
 */
function sentTwice(spans) {
  const edges = spans.flatMap((s) => [
    { at: s.start, step: 1 },
    { at: s.end, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  /** @type {{ start: number, end: number }[]} */
  const twice = [];
  let depth = 0;
  let from = 0;
  for (const { at, step } of edges) {
    if (depth < 2 && depth + step >= 2) from = at;
    if (depth >= 2 && depth + step < 2 && at > from) twice.push({ start: from, end: at });
    depth += step;
  }
  return twice;
}

const median = (/** @type {number[]} */ values) => percentile(values, 0.5);

await mkdir(MEDIA_DIR, { recursive: true });
const content = randomBytes(SIZE);
for (const name of [FILE, PIECES_FILE, WHOLE_FILE]) await writeFile(join(MEDIA_DIR, name), content);
log('building the bench workers into dist-bench/ …');
const dirs = await buildBench();
/** @type {Record<string, number[]>} */
const ratios = {};
/** Per run: the first-byte samples (ms) of each entry, and one Cache-Status of each. */
/** @type {{ pieces: number[][], whole: number[][], pieceSources: string[], wholeSources: string[] }} */
const ttfb = { pieces: [], whole: [], pieceSources: [], wholeSources: [] };
/** @type {{ windows: number[], one: number[], network: number[] }} */
const wholeRead = { windows: [], one: [], network: [] };
for (let run = 0; run < RUNS; run++) {
  const { context, profile } = await launchBenchBrowser('media');
  /** @type {import('./lib/contenders.mjs').Contender[]} */
  const started = [];
  try {
    for (const { key, spec, init } of CONTENDERS_HERE) {
      const contender = await startContender(context, spec, dirs);
      started.push(contender);
      const { ratio, spans } = await watchAndSeek(contender, init);
      (ratios[key] ??= []).push(ratio);
      log(`run ${run + 1}: ${spec.name}: ${ratios[key]?.at(-1)?.toFixed(3)}× the file`);
      const asked = contender.origin.requests('/api/media').map((r) => r.headers.range ?? 'whole');
      log(`  ranges asked of the origin: ${asked.join(', ')}`);
      log(`  bytes sent: ${spans.map((s) => `${s.start}-${s.end - 1}`).join(', ')}`);
      log(
        `  sent twice: ${
          sentTwice(spans)
            .map((s) => `${s.start}-${s.end - 1}`)
            .join(', ') || 'none'
        }`,
      );
    }
    const fresh = await startContender(context, CONTENDERS.ours, dirs);
    started.push(fresh);
    const times = await firstByteTimes(fresh, PROBES);
    ttfb.pieces.push(times.pieces.map((t) => t.ttfb));
    ttfb.whole.push(times.whole.map((t) => t.ttfb));
    ttfb.pieceSources.push(times.pieces[0]?.cacheStatus ?? '');
    ttfb.wholeSources.push(times.whole[0]?.cacheStatus ?? '');
    const [empty, emptyWhole, network] = [
      await startContender(context, CONTENDERS.ours, dirs),
      await startContender(context, CONTENDERS.ours, dirs),
      await startContender(context, CONTENDERS.network, dirs),
    ];
    started.push(empty, emptyWhole, network);
    const whole = await wholeReadTimes(empty, emptyWhole, network);
    wholeRead.windows.push(whole.windows);
    wholeRead.one.push(whole.one);
    wholeRead.network.push(whole.network);
  } finally {
    await context.close();
    for (const contender of started) await contender.origin.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const spread = (/** @type {number[]} */ values) =>
  `median ${median(values).toFixed(3)} (${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})`;
console.log(`\nwatch + re-watch with seeks of a ${SIZE / 1e6} MB file, ${RUNS} runs:`);
console.log('origin bytes / file size (goal for sw-http-cache: ≤ 1.05)');
for (const { key, spec } of CONTENDERS_HERE) {
  console.log(`  ${spec.name.padEnd(42)} ${spread(ratios[key] ?? [])}`);
}
const quartiles = (/** @type {number[]} */ values) =>
  `median ${median(values).toFixed(2)} (p25 ${percentile(values, 0.25).toFixed(2)}, p75 ${percentile(values, 0.75).toFixed(2)}, min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
const allPieces = ttfb.pieces.flat();
const allWhole = ttfb.whole.flat();
const runRatios = ttfb.pieces.map((p, i) => median(p) / median(ttfb.whole[i] ?? []));
console.log(
  `\ntime to the first byte of 64 KB at 10 %, sw-http-cache (${PROBES} probes of each per run, alternated; ms):`,
);
console.log(`  from the pieces        ${quartiles(allPieces)}   e.g. ${ttfb.pieceSources[0]}`);
console.log(`  from the complete body ${quartiles(allWhole)}   e.g. ${ttfb.wholeSources[0]}`);
console.log(
  `  pieces / complete      ${(median(allPieces) / median(allWhole)).toFixed(3)} (medians of all samples; goal ≤ 1.1); per run: ${runRatios.map((r) => r.toFixed(3)).join(', ')}`,
);
const windowsRatio = wholeRead.windows.map((w, i) => w / (wholeRead.one[i] ?? Number.NaN));
console.log('\ntime to read the whole file on a miss (ms):');
console.log(`  sw-http-cache, bytes=0- (windows)     ${spread(wholeRead.windows)}`);
console.log(`  sw-http-cache, no Range (one request) ${spread(wholeRead.one)}`);
console.log(`  network, bytes=0- (one request)       ${spread(wholeRead.network)}`);
console.log(`  windows / one request, sw-http-cache  ${spread(windowsRatio)}`);
