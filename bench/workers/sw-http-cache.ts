/// <reference lib="webworker" />
// The sw-http-cache contender: the library's worker entry with routes for `/api/`, tuned by the
// query string of its script URL (`sw.js?maxBytes=…&maxEntries=…&maxBodySize=…`, `chunkSize=…`
// and `navigationPreload=1`), like the demo worker but without the demo's app shell, so only the
// cache is measured. Every feature is on, as `installHttpCache` had them all before they became
// optional: section 5 listens to the cache events (which come with controlEndpoint()), and the
// time rows stay comparable with earlier runs. Section 6 measures the minimal worker apart.
import {
  controlEndpoint,
  crossContext,
  installHttpCache,
  multipartRanges,
  noVarySearch,
  partialContent,
} from '../../src/sw/index.ts';
import type { HttpCacheOptions } from '../../src/sw/index.ts';

declare const self: ServiceWorkerGlobalScope;

/** A positive integer from the script URL's query, or undefined when absent. */
function positive(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`sw.js?${name}=${raw}`);
  return value;
}

const query = new URLSearchParams(self.location.search);
const maxBodySize = positive(query, 'maxBodySize');
const chunkSize = positive(query, 'chunkSize');
const options: HttpCacheOptions = {
  routes: (_request, url) =>
    url.origin === self.location.origin && url.pathname.startsWith('/api/'),
  budget: { maxBytes: positive(query, 'maxBytes'), maxEntries: positive(query, 'maxEntries') },
  ...(maxBodySize !== undefined ? { maxBodySize } : {}),
  ...(chunkSize !== undefined ? { storage: { chunkSize } } : {}),
  navigationPreload: query.get('navigationPreload') === '1',
  features: [
    controlEndpoint(),
    crossContext(),
    noVarySearch(),
    multipartRanges(),
    partialContent(),
  ],
};
installHttpCache(options);
