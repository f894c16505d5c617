/// <reference lib="webworker" />
// A Workbox app that hands its API routes to sw-http-cache and keeps Workbox for the rest.
// It is built to dist-demo/workbox-sw.js and used by e2e/workbox.spec.ts and
// e2e/reliability-security-cross-origin.spec.ts (through e2e/fixtures/workbox.html).
//
// Its features are what those specs need, not demo/sw.ts's full set: the demo page (and its
// video) always registers demo/sw.ts, and no page plays media through this worker, so
// partialContent() would be untested weight here. Without controlEndpoint() it also stands for
// a Workbox app without the control API: the page's client is refused at once (workbox.spec.ts).
import { clientsClaim } from 'workbox-core';
import { registerRoute } from 'workbox-routing';
import { crossContext, HttpCacheHandler } from '../src/sw/index.ts';

declare const self: ServiceWorkerGlobalScope;

const httpCache = new HttpCacheHandler({
  name: 'sw-http-cache-workbox',
  features: [crossContext()], // as the old and the new worker of an update share the cache
});
// Workbox matches routes per method: each one the cache should see is registered.
const api = ({ url }: { url: URL }) => url.pathname.startsWith('/api/');
for (const method of ['GET', 'HEAD', 'POST'] as const) registerRoute(api, httpCache, method);

self.addEventListener('install', () => void self.skipWaiting());
clientsClaim();
