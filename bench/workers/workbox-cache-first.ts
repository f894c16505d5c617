/// <reference lib="webworker" />
// Workbox contender: CacheFirst with an ExpirationPlugin. Also the "Workbox worker" whose gzip
// size is compared with ours (routing + CacheFirst + expiration).
import { CacheFirst } from 'workbox-strategies';
import { CACHE_NAME, expiration, installWorkboxRoute } from './workbox-route.ts';

installWorkboxRoute(new CacheFirst({ cacheName: CACHE_NAME, plugins: [expiration()] }));
