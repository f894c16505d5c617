/* global window, navigator -- page-side code passed to page.evaluate */
// Storage benchmark (a benchmark, not a test: nothing here asserts on time).
//
//   node scripts/build.mjs && node bench/storage.mjs [--quick]
//
// Headless Chromium on a persistent on-disk profile (a temp dir), in front of the e2e test origin:
//  1. the demo worker: hit latency for 1 KB, 1 MB and 10 MB bodies from memory (warm worker) and
//     from IndexedDB (first hit after a CDP worker stop), miss latency and time to store;
//  2. IdbStorage alone in a page: write and read of 1 MB and 10 MB for 16 KiB … 1 MiB chunks.
// Prints medians and p90s; writes every sample to bench/results/storage.json.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { startOrigin } from '../e2e/server/origin.mjs';
import { launchBenchBrowser } from './lib/browser.mjs';
import { buildIdbPage } from './storage/build-idb-page.mjs';
import { runChunkBench } from './storage/chunk-bench.mjs';
import { printTable, toRows } from './storage/stats.mjs';
import { runWorkerBench } from './storage/worker-bench.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'storage.json');
const quick = process.argv.includes('--quick');
const log = (line) => process.stderr.write(`${line}\n`);

const WORKER_SIZES = [
  { label: '1 KB', bytes: 1_000, runs: quick ? 3 : 15 },
  { label: '1 MB', bytes: 1_000_000, runs: quick ? 3 : 15 },
  { label: '10 MB', bytes: 10_000_000, runs: quick ? 2 : 8 },
];
const CHUNK_SIZES = [16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024];
const CHUNK_BODY_SIZES = [
  { label: '1 MB', bytes: 1_000_000 },
  { label: '10 MB', bytes: 10_000_000 },
];
const CHUNK_RUNS = quick ? 2 : 10;

if (!existsSync(join(ROOT, 'dist-demo', 'sw.js'))) {
  console.error('dist-demo/sw.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

const { context, profile, description } = await launchBenchBrowser('bench');
const pageDir = await mkdtemp(join(tmpdir(), 'sw-http-cache-bench-page-'));
await buildIdbPage(pageDir);
const workerOrigin = await startOrigin({ staticDir: join(ROOT, 'dist-demo') });
const pageOrigin = await startOrigin({ staticDir: pageDir });

try {
  log(`chromium: ${description}; profile ${profile}`);

  const workerPage = await context.newPage();
  await workerPage.goto(`${workerOrigin.url}/e2e/blank.html`);
  await workerPage.evaluate(() => /** @type {any} */ (window).swReady);
  const version = await workerPage.evaluate(() => navigator.userAgent);
  const workerSamples = await runWorkerBench(workerPage, workerOrigin.url, {
    sizes: WORKER_SIZES,
    log,
  });

  const chunkPage = await context.newPage();
  await chunkPage.goto(`${pageOrigin.url}/index.html`);
  const chunkSamples = await runChunkBench(chunkPage, {
    chunkSizes: CHUNK_SIZES,
    sizes: CHUNK_BODY_SIZES,
    runs: CHUNK_RUNS,
    log,
  });

  printTable('Worker: page fetch latency by body size and serving layer', toRows(workerSamples));
  printTable('IdbStorage in a page: write and read by chunk size', toRows(chunkSamples));

  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        browser: { description, version },
        node: process.version,
        cpus: cpus().length,
        quick,
        worker: workerSamples,
        chunks: chunkSamples,
      },
      null,
      2,
    )}\n`,
  );
  log(`\nraw samples: ${RESULTS}`);
} finally {
  await context.close();
  await workerOrigin.close();
  await pageOrigin.close();
  await rm(profile, { recursive: true, force: true });
  await rm(pageDir, { recursive: true, force: true });
}
