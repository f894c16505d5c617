/* global performance, fetch -- page-side code passed to page.evaluate */
// Where the time to the first byte of a range goes, from a sparse entry's pieces and from a
// complete entry (a profile, not a test: nothing asserts on time).
//
//   node bench/profile-pieces.mjs [--probes=15]
//
// Our bench worker with the profiler of bench/workers/trace.ts before it (as bench/profile.mjs
// does), two copies of a 20 MB file: one read 0-30 % (it stays sparse), one read whole. Then
// 64 KB at 10 % of each, alternated; prints per entry the median first byte on the page's clock,
// the platform calls before it (IndexedDB transactions and requests, Web Lock requests), and the
// timeline of the median probe.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { launchBenchBrowser } from './lib/browser.mjs';
import { MEDIA_DIR } from '../e2e/server/media-route.mjs';
import { ROOT, buildWorker } from './lib/build.mjs';
import { startContender } from './lib/contenders.mjs';
import { sleep } from './lib/page-fetch.mjs';
import { percentile } from './storage/stats.mjs';

const arg = (/** @type {string} */ name, /** @type {string} */ fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const PROBES = Number(arg('probes', '15'));
const SIZE = 20 * 1000 * 1000;
const MiB = 1024 * 1024;
const OUT = join(ROOT, 'dist-bench', 'profile-pieces');
const ENTRIES = { pieces: 'profile-pieces.webm', whole: 'profile-whole.webm' };
const path = (/** @type {string} */ file) => `/api/media?file=${file}`;

await buildWorker('bench/workers/trace.ts', OUT, 'trace.js');
await buildWorker('bench/workers/sw-http-cache.ts', OUT, 'contender.js');
const [trace, contender] = await Promise.all(
  ['trace.js', 'contender.js'].map((f) => readFile(join(OUT, f), 'utf8')),
);
await writeFile(join(OUT, 'sw.js'), `${trace}\n${contender}\n`);
await copyFile(join(ROOT, 'bench', 'page', 'bench.html'), join(OUT, 'bench.html'));
await mkdir(MEDIA_DIR, { recursive: true });
const content = randomBytes(SIZE);
for (const file of Object.values(ENTRIES)) await writeFile(join(MEDIA_DIR, file), content);

const { context, profile } = await launchBenchBrowser('profile-pieces');
const worker = `/sw.js?maxBodySize=${300 * MiB}&maxBytes=${1024 * MiB}&maxEntries=20000`;
const c = await startContender(
  context,
  { name: 'sw-http-cache', dir: 'ours', worker },
  { ours: OUT },
);
try {
  const read = (/** @type {string} */ p, /** @type {string} */ range) =>
    c.page.evaluate(
      async ({ p, range }) => {
        const start = performance.now();
        const response = await fetch(p, { headers: { range } });
        const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
        const first = await reader.read();
        const ttfb = performance.now() - start;
        await reader.cancel();
        return { origin: performance.timeOrigin + start, ttfb, ok: !first.done };
      },
      { p, range },
    );
  const all = async (/** @type {string} */ p, /** @type {string} */ range) =>
    c.page.evaluate(
      async ({ p, range }) =>
        (await (await fetch(p, { headers: { range } })).arrayBuffer()).byteLength,
      { p, range },
    );
  await all(path(ENTRIES.pieces), `bytes=0-${SIZE * 0.3 - 1}`);
  await all(path(ENTRIES.whole), 'bytes=0-');
  await sleep(2000);
  const probe = `bytes=${SIZE * 0.1}-${SIZE * 0.1 + 65_535}`;
  /** @type {Record<string, { ttfb: number, events: { what: string, start: number, end?: number }[] }[]>} */
  const samples = { pieces: [], whole: [] };
  for (let i = 0; i < PROBES; i++) {
    const order = i % 2 === 0 ? ['pieces', 'whole'] : ['whole', 'pieces'];
    for (const which of order) {
      await c.page.evaluate(async () => (await fetch('/__trace')).json()); // forget what came before
      const timed = await read(path(ENTRIES[/** @type {'pieces' | 'whole'} */ (which)]), probe);
      await sleep(100);
      const { timeOrigin, events } = await c.page.evaluate(async () =>
        (await fetch('/__trace')).json(),
      );
      const shift = timeOrigin - timed.origin;
      samples[which]?.push({
        ttfb: timed.ttfb,
        events: events
          .filter((/** @type {{ what: string }} */ e) => !e.what.startsWith('fetch /__trace'))
          .map((/** @type {{ what: string, start: number, end?: number }} */ e) => ({
            what: e.what,
            start: e.start + shift,
            end: e.end === undefined ? undefined : e.end + shift,
          })),
      });
    }
  }
  const f = (/** @type {number | undefined} */ v) => (v === undefined ? '?' : v.toFixed(1));
  for (const [which, list] of Object.entries(samples)) {
    const sorted = [...list].sort((a, b) => a.ttfb - b.ttfb);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    const ttfbs = list.map((s) => s.ttfb);
    const before = (/** @type {RegExp} */ re) =>
      percentile(
        list.map((s) => s.events.filter((e) => re.test(e.what) && e.start < s.ttfb).length),
        0.5,
      );
    console.log(
      `\n${which}: first byte median ${f(percentile(ttfbs, 0.5))} ms (p25 ${f(percentile(ttfbs, 0.25))}, p75 ${f(percentile(ttfbs, 0.75))}); before it: ${before(/^tx /)} transactions, ${before(/^idb /)} IndexedDB requests, ${before(/^locks /)} Web Lock requests`,
    );
    for (const e of median?.events ?? []) {
      console.log(`  ${f(e.start).padStart(7)} → ${f(e.end).padStart(7)}  ${e.what}`);
    }
  }
} finally {
  await context.close();
  await c.origin.close();
  await rm(profile, { recursive: true, force: true });
}
