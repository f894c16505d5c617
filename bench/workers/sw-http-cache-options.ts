/// <reference lib="webworker" />
// The options both sw-http-cache contenders share: routes for `/api/`, tuned by the query string
// of the script URL (`sw.js?maxBytes=…&maxEntries=…&maxBodySize=…`, `chunkSize=…` and
// `navigationPreload=1`).
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

/** The options of the script URL's query, without features. */
export function benchOptions(): HttpCacheOptions {
  const query = new URLSearchParams(self.location.search);
  const maxBodySize = positive(query, 'maxBodySize');
  const chunkSize = positive(query, 'chunkSize');
  return {
    routes: (_request, url) =>
      url.origin === self.location.origin && url.pathname.startsWith('/api/'),
    budget: { maxBytes: positive(query, 'maxBytes'), maxEntries: positive(query, 'maxEntries') },
    ...(maxBodySize !== undefined ? { maxBodySize } : {}),
    ...(chunkSize !== undefined ? { storage: { chunkSize } } : {}),
    navigationPreload: query.get('navigationPreload') === '1',
  };
}
