// The worker as an app builds it with only some features (issue 15: what a worker does not
// import costs it nothing): `installHttpCache({ routes, features })` bundled by Vite's library
// build the way scripts/build.mjs builds the demo worker (one minified classic script, production
// Workbox), with a sourcemap. Used by the bench (section 6: each feature's weight) and by
// e2e/worker-size.node.spec.ts (what the minimal worker contains).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorker, ROOT } from './build.mjs';

/** The optional features of `sw-http-cache/sw`, by the name each is imported under. */
export const FEATURES = /** @type {const} */ ([
  'controlEndpoint',
  'crossContext',
  'noVarySearch',
  'multipartRanges',
  'partialContent',
]);

/** The bench's contender name of the minimal worker (no feature; issue 15's size target). */
export const MINIMAL_WORKER = 'sw-http-cache minimal';

/**
 * Builds a worker with `features` (names from {@link FEATURES}) into `outDir`/sw.js; resolves
 * with its code, its sourcemap and its size gzipped at level 9.
 *
 * @param {readonly string[]} features
 * @param {string} outDir an absolute directory
 */
export async function buildFeatureWorker(features, outDir) {
  await mkdir(outDir, { recursive: true });
  const entry = join(outDir, 'entry.ts');
  const source = JSON.stringify(join(ROOT, 'src/sw/index.ts'));
  await writeFile(
    entry,
    [
      `import { installHttpCache, ${[...features].join(', ')} } from ${source};`,
      'installHttpCache({',
      "  routes: (_request, url) => url.pathname.startsWith('/api/'),",
      `  features: [${features.map((name) => `${name}()`).join(', ')}],`,
      '});',
      '',
    ].join('\n'),
  );
  await buildWorker(entry, outDir, 'sw.js');
  const code = await readFile(join(outDir, 'sw.js'), 'utf8');
  const map = JSON.parse(await readFile(join(outDir, 'sw.js.map'), 'utf8'));
  return { code, map, gzipBytes: gzipSync(code, { level: 9 }).length };
}
