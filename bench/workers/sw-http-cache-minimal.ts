/// <reference lib="webworker" />
// The minimal sw-http-cache worker: `installHttpCache` with routes and no feature, what the
// README's bundler worker is, and what an app that only wants the cache ships (the minimal
// worker whose size section 6 prints). Section 6 compares its first hit after a stop with
// Workbox CacheFirst's, each worker as an app would build it.
import { installHttpCache } from '../../src/sw/index.ts';
import { benchOptions } from './sw-http-cache-options.ts';

installHttpCache(benchOptions());
