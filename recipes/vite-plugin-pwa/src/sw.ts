/// <reference lib="webworker" />
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { controlEndpoint, installHttpCache } from 'sw-http-cache/sw';

declare const self: ServiceWorkerGlobalScope;

// The app shell, precached at install by workbox-precaching: vite-plugin-pwa replaces
// self.__WB_MANIFEST with the list of built files. It serves `/` offline too.
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// The API, through the HTTP cache: freshness, revalidation, Cache-Status.
installHttpCache({
  routes: (_request, url) => url.pathname.startsWith('/api/'),
  features: [controlEndpoint()], // the page's connectHttpCache() (src/main.ts); leave out if unused
  skipWaiting: 'message', // registerType 'prompt': wait for updateSW(); 'autoUpdate': true
  clientsClaim: true, // the first visit is controlled without a reload
});
