/// <reference lib="webworker" />
// What both Workbox contenders share: a route for `/api/` GETs with one strategy, activation at
// once, and the ExpirationPlugin limits a typical app sets.
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import type { Strategy } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope;

/** Cache name of the Workbox contenders (one origin each, so one name is enough). */
export const CACHE_NAME = 'bench-api';

/** The plugin both strategies get: 20,000 entries, one hour. */
export function expiration(): ExpirationPlugin {
  return new ExpirationPlugin({ maxEntries: 20_000, maxAgeSeconds: 3600 });
}

/** Routes `/api/` GETs of this origin to `strategy` and takes control of pages at once. */
export function installWorkboxRoute(strategy: Strategy): void {
  registerRoute(
    ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/api/'),
    strategy,
    'GET',
  );
  self.addEventListener('install', () => void self.skipWaiting());
  clientsClaim();
}
