/// <reference lib="webworker" />
// Workbox's setup for media (its docs' "serve cached audio and video"): CacheFirst that keeps
// only 200 responses, and the RangeRequestsPlugin that slices a stored 200 for a Range request.
// A `<video>` asks with Range only, so what it stores depends on the origin sending a 200.
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { RangeRequestsPlugin } from 'workbox-range-requests';
import { CacheFirst } from 'workbox-strategies';
import { CACHE_NAME, installWorkboxRoute } from './workbox-route.ts';

installWorkboxRoute(
  new CacheFirst({
    cacheName: CACHE_NAME,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new RangeRequestsPlugin()],
  }),
);
