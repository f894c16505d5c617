/// <reference lib="webworker" />
// Workbox contender: StaleWhileRevalidate with an ExpirationPlugin.
import { StaleWhileRevalidate } from 'workbox-strategies';
import { CACHE_NAME, expiration, installWorkboxRoute } from './workbox-route.ts';

installWorkboxRoute(new StaleWhileRevalidate({ cacheName: CACHE_NAME, plugins: [expiration()] }));
