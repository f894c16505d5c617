/// <reference lib="webworker" />
// The demo's service worker: the library's worker entry with the demo's configuration.
//
// Tests and benchmarks tune it through the query string of its script URL, e.g.
// `navigator.serviceWorker.register('/sw.js?maxBytes=200000&debug=1')`:
//
//   maxBytes, maxEntries   the eviction budget (`budget`), positive integers
//   lockTimeout            `lockTimeout` in milliseconds, a positive integer
//   upstreamTimeout        `upstreamTimeout` in milliseconds, a positive integer
//   maxBodySize            `maxBodySize` in bytes, a positive integer
//   offlineMaxStale        `offlineMaxStale` in seconds, a non-negative integer (0: off)
//   debug                  `1` or `true` turns `debug` on
//   navigationPreload      `1` or `true` turns `navigationPreload` on
//
// An unknown name or an invalid value throws while the script is evaluated, so the registration
// fails loudly instead of running with a configuration nobody asked for.
import {
  controlEndpoint,
  crossContext,
  installHttpCache,
  multipartRanges,
  noVarySearch,
  partialContent,
} from '../src/sw/index.ts';
import type { HttpCacheOptions } from '../src/sw/index.ts';
import { recordWorkerFaults } from './fault-log.ts';
import { keepShellOffline } from './shell.ts';

declare const self: ServiceWorkerGlobalScope;

const KNOWN_PARAMS = new Set([
  'maxBytes',
  'maxEntries',
  'lockTimeout',
  'upstreamTimeout',
  'maxBodySize',
  'offlineMaxStale',
  'debug',
  'navigationPreload',
]);

/** A positive integer from the query, or undefined when the parameter is absent. */
function positiveInteger(query: URLSearchParams, name: string, least = 1): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < least) {
    const what = least === 0 ? 'a non-negative' : 'a positive';
    throw new RangeError(`sw.js?${name}= must be ${what} integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A boolean from the query: `1`/`true` or `0`/`false`; absent is false. */
function flag(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw !== null && !['1', 'true', '0', 'false'].includes(raw)) {
    throw new RangeError(`sw.js?${name}= must be 1, true, 0 or false, got ${JSON.stringify(raw)}`);
  }
  return raw === '1' || raw === 'true';
}

/** The options the script URL asks for; the library's defaults for everything it leaves out. */
function optionsFromScriptUrl(search: string): HttpCacheOptions {
  const query = new URLSearchParams(search);
  for (const name of query.keys()) {
    if (!KNOWN_PARAMS.has(name)) throw new RangeError(`sw.js: unknown option ${name}`);
  }
  const debug = flag(query, 'debug');
  const navigationPreload = flag(query, 'navigationPreload');
  const maxBytes = positiveInteger(query, 'maxBytes');
  const maxEntries = positiveInteger(query, 'maxEntries');
  const lockTimeout = positiveInteger(query, 'lockTimeout');
  const upstreamTimeout = positiveInteger(query, 'upstreamTimeout');
  const maxBodySize = positiveInteger(query, 'maxBodySize');
  const offlineMaxStale = positiveInteger(query, 'offlineMaxStale', 0);
  return {
    ...(offlineMaxStale !== undefined ? { offlineMaxStale } : {}),
    ...(maxBodySize !== undefined ? { maxBodySize } : {}),
    ...(maxBytes !== undefined || maxEntries !== undefined
      ? { budget: { maxBytes, maxEntries } }
      : {}),
    ...(lockTimeout !== undefined ? { lockTimeout } : {}),
    ...(upstreamTimeout !== undefined ? { upstreamTimeout } : {}),
    ...(debug ? { debug: true } : {}),
    ...(navigationPreload ? { navigationPreload: true } : {}),
  };
}

recordWorkerFaults(); // uncaught errors, served at /__sw/faults for the reliability tests
keepShellOffline(); // the demo app's own shell, offline: see demo/shell.ts

installHttpCache({
  ...optionsFromScriptUrl(self.location.search),
  // Every feature: the demo's page uses the control API, and the e2e tests cover the rest.
  features: [
    controlEndpoint(),
    crossContext(),
    noVarySearch(),
    multipartRanges(),
    partialContent(),
  ],
  // The demo origin's API; the app shell and the worker script itself are left to the browser,
  // and so is the origin switch the page polls (/api/offline): it is not app data, and counting
  // it would drown the hit ratio in the demo's own polling.
  routes: (_request, url) =>
    url.origin === self.location.origin &&
    url.pathname.startsWith('/api/') &&
    url.pathname !== '/api/offline',
});
