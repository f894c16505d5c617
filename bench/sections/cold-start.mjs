// 6. Cold start: the first hit after the worker was stopped, 1 KB and 1 MB (sw-http-cache vs
// Workbox CacheFirst); and the gzip size of the production worker vs a Workbox worker with routing,
// CacheFirst and expiration, both minified the same way, with the heaviest sources of ours.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUNDLES, OUT, PAGE_BUNDLES, ROOT } from '../lib/build.mjs';
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
  const keys = ['ours', 'cacheFirst'];
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
 * Records the bundle sizes; returns the heaviest sources of our bundle (minified bytes and the
 * gzip bytes they account for, in proportion).
 *
 * @param {import('./context.mjs').BenchContext} ctx
 */
export function measureBundles(ctx) {
  const bundle = (/** @type {string} */ file) => join(OUT, 'bundle', file);
  const rows = [
    { contender: 'sw-http-cache (demo/sw.ts)', file: bundle(BUNDLES.ours.file) },
    { contender: 'workbox routing+CacheFirst+expiration', file: bundle(BUNDLES.workbox.file) },
  ];
  const demo = join(ROOT, 'dist-demo', 'sw.js');
  if (existsSync(demo))
    rows.push({ contender: 'sw-http-cache (dist-demo/sw.js as built)', file: demo });
  for (const { contender, file } of rows) {
    const common = { section: '6 cold start', size: '-', contender };
    ctx.samples.push({
      ...common,
      measure: 'worker bundle, gzip -9',
      value: gzipKB(file),
      unit: 'KB',
    });
    ctx.samples.push({
      ...common,
      measure: 'worker bundle, minified',
      value: readFileSync(file).length / 1024,
      unit: 'KB',
    });
  }
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
  const code = readFileSync(bundle(BUNDLES.ours.file), 'utf8');
  const map = JSON.parse(readFileSync(`${bundle(BUNDLES.ours.file)}.map`, 'utf8'));
  const gzipRatio = gzipSync(code, { level: 9 }).length / Buffer.byteLength(code);
  return bytesBySource(code, map).map(({ source, bytes }) => ({
    source: shortSource(source),
    minified: bytes,
    gzipShare: Math.round(bytes * gzipRatio),
  }));
}
