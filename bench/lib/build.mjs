// Builds what the benchmark serves into dist-bench/ (git- and lint-ignored like every dist-*):
//   dist-bench/<worker>/sw.js     one directory per contender worker, with bench.html beside it
//   dist-bench/bundle/*.js        the production worker (demo/sw.ts) and a Workbox worker with
//                                 routing + CacheFirst + expiration, for their gzip sizes; the
//                                 page entries (client, inspector) minified the same way
// Every worker is built the way scripts/build.mjs builds dist-demo/sw.js: a minified classic
// (IIFE) script with everything bundled and a sourcemap. A bench may run a script of its own
// before the contender's in the same file (a prelude: bench/profile.mjs's profiler,
// `npm run bench -- --browser=firefox`'s instance probe).
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUT = join(ROOT, 'dist-bench');

/** Contender workers: directory name → entry. */
export const WORKER_ENTRIES = {
  'sw-http-cache': 'bench/workers/sw-http-cache.ts',
  'sw-http-cache-minimal': 'bench/workers/sw-http-cache-minimal.ts',
  'workbox-cache-first': 'bench/workers/workbox-cache-first.ts',
  'workbox-swr': 'bench/workers/workbox-swr.ts',
  'workbox-network-first-preload': 'bench/workers/workbox-network-first-preload.ts',
  floor: 'bench/workers/floor.ts',
  'workbox-range-requests': 'bench/workers/workbox-range-requests.ts',
};

/** The two bundles whose sizes are compared. */
export const BUNDLES = {
  ours: { entry: 'demo/sw.ts', file: 'sw.js' },
  workbox: { entry: 'bench/workers/workbox-cache-first.ts', file: 'workbox-sw.js' },
};

/** Page-side entry points whose weight is printed: what an app adds by importing each. */
export const PAGE_BUNDLES = {
  client: { entry: 'src/client/index.ts', file: 'client.js' },
  inspector: { entry: 'src/inspector/index.ts', file: 'inspector.js' },
};

/**
 * @param {string} entry relative to the repository root (or absolute)
 * @param {string} outDir
 * @param {string} fileName
 */
export async function buildWorker(entry, outDir, fileName) {
  await build({
    logLevel: 'warn',
    configFile: false,
    root: ROOT,
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: false,
      sourcemap: true,
      lib: {
        entry: resolve(ROOT, entry),
        formats: ['iife'],
        name: 'swHttpCacheWorker',
        fileName: () => fileName,
      },
    },
  });
}

/**
 * The text of `entry` bundled as a worker script (built into `outDir`/`fileName`): a prelude or
 * suffix for {@link buildContenderDir}.
 *
 * @param {string} entry
 * @param {string} outDir
 * @param {string} fileName
 */
export async function bundledScript(entry, outDir, fileName) {
  await buildWorker(entry, outDir, fileName);
  return readFile(join(outDir, fileName), 'utf8');
}

/**
 * Builds the worker `entry` into `dir`/sw.js, with bench.html beside it. `prelude` and `suffix`
 * (script text) run before and after the contender's code in the same file.
 *
 * @param {string} entry
 * @param {string} dir
 * @param {{ prelude?: string, suffix?: string }} [wrap]
 */
export async function buildContenderDir(entry, dir, { prelude = '', suffix = '' } = {}) {
  await mkdir(dir, { recursive: true });
  if (prelude === '' && suffix === '') {
    await buildWorker(entry, dir, 'sw.js');
  } else {
    await buildWorker(entry, dir, 'contender.js');
    const contender = await readFile(join(dir, 'contender.js'), 'utf8');
    await writeFile(join(dir, 'sw.js'), `${prelude}\n${contender}\n${suffix}`);
  }
  await copyFile(join(ROOT, 'bench', 'page', 'bench.html'), join(dir, 'bench.html'));
}

/**
 * Builds every worker and page; returns the static directory of each contender worker.
 *
 * @param {{ prelude?: string }} [options] `prelude`: the entry of a script every contender
 *   worker runs first (in the same file)
 */
export async function buildBench({ prelude } = {}) {
  await rm(OUT, { recursive: true, force: true });
  const preludeCode =
    prelude === undefined ? '' : await bundledScript(prelude, join(OUT, 'prelude'), 'prelude.js');
  /** @type {Record<string, string>} */
  const dirs = {};
  for (const [name, entry] of Object.entries(WORKER_ENTRIES)) {
    dirs[name] = join(OUT, name);
    await buildContenderDir(entry, dirs[name], { prelude: preludeCode });
  }
  const noWorker = join(OUT, 'no-worker');
  await mkdir(noWorker, { recursive: true });
  await copyFile(join(ROOT, 'bench', 'page', 'bench.html'), join(noWorker, 'bench.html'));
  dirs['no-worker'] = noWorker;

  for (const { entry, file } of [...Object.values(BUNDLES), ...Object.values(PAGE_BUNDLES)]) {
    await buildWorker(entry, join(OUT, 'bundle'), file);
  }
  return dirs;
}
