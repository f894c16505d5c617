/**
 * Unsafe requests (POST, PUT, DELETE, PATCH…): they go to the origin untouched, and a non-error
 * answer invalidates the entries it names (RFC 9111 §4.4).
 */
import { HttpCache } from '../core/http-cache.ts';
import { invalidatedUrls } from '../core/http/index.ts';
import { normalizeUrl } from '../core/key.ts';
import type { FlowDeps } from './flow-deps.ts';
import { forwardedResponse } from './respond.ts';
import { askOrigin, type Upstream } from './upstream.ts';

export async function handleUnsafe(deps: FlowDeps, request: Request): Promise<Response> {
  let upstream: Upstream;
  try {
    upstream = await askOrigin(deps, request);
  } catch {
    return Response.error();
  }
  const { response } = upstream;
  const urls = invalidatedUrls(request.method, request.url, response.status, response.headers);
  // Purge before answering: a page that refetches as soon as its POST returns must not get the
  // entry the POST just changed.
  if (urls.length > 0) await invalidate(deps, urls);
  return forwardedResponse(response, { fwd: 'method', fwdStatus: response.status });
}

/** Removes the entries of `urls` (every variant: the primary slot is their tombstone). */
export async function invalidate(deps: FlowDeps, urls: readonly string[]): Promise<void> {
  const { storage, eviction, options, now } = deps;
  for (const url of urls) {
    const cache = new HttpCache();
    cache.enable({ storage, eviction, clock: now });
    cache.setCacheKey({ namespace: options.namespace, primary: normalizeUrl(url) });
    try {
      await cache.purge();
    } catch (error) {
      deps.log(`could not invalidate ${url}`, error);
    }
  }
}
