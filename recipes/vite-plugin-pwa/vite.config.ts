import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    VitePWA({
      strategies: 'injectManifest', // our own worker: src/sw.ts
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt', // or 'autoUpdate': then `skipWaiting: true` in src/sw.ts
      injectRegister: false, // src/main.ts registers with registerSW
      manifest: false, // add your web app manifest here
      injectManifest: {
        rollupFormat: 'es', // or 'iife': both work
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'], // the app shell to precache
      },
      devOptions: { enabled: true, type: 'module' }, // `vite dev` serves the worker too
    }),
  ],
  // `vite dev` bundles dependencies it finds late (the worker's, when the browser fetches it;
  // registerSW's workbox-window) on the first visit, and that can fail the worker's install: find
  // them all up front.
  optimizeDeps: { entries: ['index.html', 'src/sw.ts'], include: ['workbox-window'] },
});
