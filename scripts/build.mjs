// Builds everything `npm start`, the tests and `npm pack` need:
//   dist/client/index.js, dist/sw/index.js   the package's two entry points (ESM, deps external)
//   dist/types/**.d.ts                       their type declarations
//   dist-demo/                               the demo app, with its worker at dist-demo/sw.js
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'vite';

const quiet = { logLevel: 'warn' };
const external = ['idb', 'comlink', /^workbox-/];

rmSync('dist', { recursive: true, force: true });

// The library: one ESM file per entry point, dependencies left to the app's bundler.
await build({
  ...quiet,
  configFile: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    lib: {
      entry: { client: 'src/client/index.ts', sw: 'src/sw/index.ts' },
      formats: ['es'],
      fileName: (_format, entry) => `${entry}/index.js`,
    },
    rolldownOptions: { external },
  },
});

execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

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
