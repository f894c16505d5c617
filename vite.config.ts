/**
 * The demo app (demo/ → dist-demo/). The library and the worker bundle are built by
 * scripts/build.mjs, which also runs this config.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'demo',
  publicDir: '../public',
  build: {
    outDir: '../dist-demo',
    emptyOutDir: true,
  },
});
