/// <reference lib="webworker" />
// Workbox contender for navigations: NetworkFirst with navigation preload switched on (what
// workbox-navigation-preload's enable() does), so a navigation's request starts while the worker
// boots and NetworkFirst answers with `event.preloadResponse`.
import { NetworkFirst } from 'workbox-strategies';
import { CACHE_NAME, installWorkboxRoute } from './workbox-route.ts';

declare const self: ServiceWorkerGlobalScope;

self.addEventListener('activate', (event) => {
  event.waitUntil(self.registration.navigationPreload.enable());
});
installWorkboxRoute(new NetworkFirst({ cacheName: CACHE_NAME }));
