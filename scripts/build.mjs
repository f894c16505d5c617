// Builds everything `npm start`, the tests and `npm pack` need:
//   dist/client/index.js, dist/sw/index.js,  the package's entry points (ESM, deps external)
//   dist/inspector/index.js
//   dist/types/**.d.ts                       their type declarations
//   dist/worker/sw-http-cache.js, .mjs       the worker entry prebuilt with its dependencies, for
//                                            importScripts() (classic) and import (module) users
//   dist-demo/                               the demo app, with its worker at dist-demo/sw.js
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const quiet = { logLevel: 'warn' };
const external = ['idb', 'comlink', 'structured-headers', /^workbox-/];

rmSync('dist', { recursive: true, force: true });

// The library: one ESM file per entry point, dependencies left to the app's bundler.
await build({
  ...quiet,
  configFile: false,
  publicDir: false, // the demo's icons and manifest (public/) are not part of the package
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        client: 'src/client/index.ts',
        sw: 'src/sw/index.ts',
        inspector: 'src/inspector/index.ts',
      },
      formats: ['es'],
      fileName: (_format, entry) => `${entry}/index.js`,
    },
    rolldownOptions: { external },
  },
});

// The worker prebuilt for apps without a bundler: everything in one file, every feature on,
// production Workbox (workbox-core reads process.env.NODE_ENV). The classic script defines the global
// `swHttpCache` for `importScripts('…/sw-http-cache.js')`; the module exports the same names.
for (const [format, fileName] of [
  ['iife', 'sw-http-cache.js'],
  ['es', 'sw-http-cache.mjs'],
]) {
  await build({
    ...quiet,
    configFile: false,
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: 'dist/worker',
      emptyOutDir: false,
      minify: true,
      lib: {
        entry: 'src/sw/prebuilt.ts', // src/sw/index.ts with every feature on by default
        formats: [format],
        name: 'swHttpCache',
        fileName: () => fileName,
      },
    },
  });
}

execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
rewriteDeclarationSpecifiers('dist/types');

// The demo app, then its workers: classic scripts (module workers are not supported
// everywhere) with everything bundled. workbox-core reads process.env.NODE_ENV.
await build({ ...quiet, configFile: 'vite.config.ts' });
for (const [entry, fileName] of [
  ['demo/sw.ts', 'sw.js'],
  ['demo/workbox-sw.ts', 'workbox-sw.js'],
]) {
  await build({
    ...quiet,
    configFile: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: 'dist-demo',
      emptyOutDir: false,
      sourcemap: true,
      lib: { entry, formats: ['iife'], name: 'swHttpCacheWorker', fileName: () => fileName },
    },
  });
}
console.log('built dist/ (library) and dist-demo/ (demo app, sw.js, workbox-sw.js)');

/**
 * tsc keeps the sources' `.ts` import specifiers in the .d.ts files it emits
 * (`rewriteRelativeImportExtensions` only rewrites JavaScript). Whether a consumer's tsc accepts
 * `./register.ts` inside a package's declarations depends on its settings; `.js` specifiers map to
 * the `.d.ts` files under every module resolution mode, so rewrite them
 * (e2e/package.spec.ts type-checks a consumer with `skipLibCheck: false`).
 */
function rewriteDeclarationSpecifiers(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const source = readFileSync(file, 'utf8');
    const rewritten = source.replace(
      /(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g,
      '$1$2$3.js$2',
    );
    if (rewritten !== source) writeFileSync(file, rewritten);
  }
}
