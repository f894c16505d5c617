// 6. Cold start: the first hit after the worker was stopped, 1 KB and 1 MB (sw-http-cache with
// every feature and the minimal worker vs Workbox CacheFirst); and the gzip size of our workers
// vs a Workbox worker with routing, CacheFirst and expiration, all minified the same way: the
// minimal worker (`installHttpCache` with routes), what each optional feature adds to it, the
// demo's (every feature); with the heaviest sources of the minimal one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUNDLES, OUT, PAGE_BUNDLES, ROOT } from '../lib/build.mjs';
import { buildFeatureWorker, FEATURES, MINIMAL_WORKER } from '../lib/feature-bundles.mjs';
import { servedBy } from '../lib/cache-status.mjs';
import { sleep, timedFetch } from '../lib/page-fetch.mjs';
import { bytesBySource, shortSource } from '../lib/sourcemap-weights.mjs';

const SIZES = [
  { label: '1 KB', path: '/api/big?size=1000&cc=max-age%3D3600&b=cold' },
  { label: '1 MB', path: '/api/big?size=1000000&cc=max-age%3D3600&b=cold' },
];

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runColdStart(ctx, runs) {
  const keys = ['ours', 'oursMinimal', 'cacheFirst'];
  for (const key of keys) {
    for (const { path } of SIZES) await timedFetch(ctx.contenders[key].page, path);
  }
  await sleep(1000); // the writes land
  for (let run = 0; run < runs; run++) {
    for (const { label, path } of SIZES) {
      for (const key of run % 2 === 0 ? keys : [...keys].reverse()) {
        const contender = ctx.contenders[key];
        await ctx.workers.stop(contender.url);
        const result = await timedFetch(contender.page, path);
        await ctx.workers.restarted(contender.url);
        ctx.samples.push({
          section: '6 cold start',
          measure: 'first hit after a worker stop',
          size: label,
          contender: contender.name,
          value: result.ms,
          unit: 'ms',
          served: servedBy(result.cacheStatus),
        });
      }
    }
  }
  ctx.log('cold start: done');
}

/** @param {string} file */
const gzipKB = (file) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

/**
 * Records the bundle sizes, and what each optional feature adds to the minimal worker; returns
 * the heaviest sources of the minimal worker (minified bytes and the gzip bytes they account
 * for, in proportion).
 *
 * @param {Pick<import('./context.mjs').BenchContext, 'samples' | 'log'>} ctx
 */
export async function measureBundles(ctx) {
  const bundle = (/** @type {string} */ file) => join(OUT, 'bundle', file);
  const rows = [
    { contender: 'sw-http-cache (demo/sw.ts, every feature)', file: bundle(BUNDLES.ours.file) },
    { contender: 'workbox routing+CacheFirst+expiration', file: bundle(BUNDLES.workbox.file) },
  ];
  const demo = join(ROOT, 'dist-demo', 'sw.js');
  if (existsSync(demo))
    rows.push({ contender: 'sw-http-cache (dist-demo/sw.js as built)', file: demo });
  const size = (/** @type {string} */ contender, /** @type {string} */ code) => {
    const common = { section: '6 cold start', size: '-', contender };
    ctx.samples.push({
      ...common,
      measure: 'worker bundle, gzip -9',
      value: gzipSync(code, { level: 9 }).length / 1024,
      unit: 'KB',
    });
    ctx.samples.push({
      ...common,
      measure: 'worker bundle, minified',
      value: Buffer.byteLength(code) / 1024,
      unit: 'KB',
    });
  };
  for (const { contender, file } of rows) size(contender, readFileSync(file, 'utf8'));

  // The minimal worker, then each feature alone on top of it: its weight is the difference.
  const features = join(OUT, 'features');
  const minimal = await buildFeatureWorker([], join(features, 'minimal'));
  size(MINIMAL_WORKER, minimal.code);
  for (const feature of FEATURES) {
    const alone = await buildFeatureWorker([feature], join(features, feature));
    ctx.samples.push({
      section: '6 cold start',
      size: '-',
      contender: `${MINIMAL_WORKER} + ${feature}()`,
      measure: 'feature weight, gzip -9 added',
      value: (alone.gzipBytes - minimal.gzipBytes) / 1024,
      unit: 'KB',
    });
  }
  ctx.log('bundle sizes: done');

  // The page entries, with every dependency bundled in (comlink for the client): what each adds
  // to an app that imports it. The inspector only imports the client's types.
  for (const [name, { file }] of Object.entries(PAGE_BUNDLES)) {
    ctx.samples.push({
      section: '6 cold start',
      size: '-',
      contender: name === 'client' ? 'page: sw-http-cache' : `page: sw-http-cache/${name}`,
      measure: 'page bundle, gzip -9',
      value: gzipKB(bundle(file)),
      unit: 'KB',
    });
  }
  const gzipRatio = minimal.gzipBytes / Buffer.byteLength(minimal.code);
  return bytesBySource(minimal.code, minimal.map).map(({ source, bytes }) => ({
    source: shortSource(source),
    minified: bytes,
    gzipShare: Math.round(bytes * gzipRatio),
  }));
}
