/**
 * Unsafe requests (POST, PUT, DELETE, PATCH…): they go to the origin untouched, and a non-error
 * answer invalidates the entries it names (RFC 9111 §4.4). A POST answer that describes its own
 * URL with explicit freshness is then stored for later GETs (RFC 9110 §9.3.3).
 */
import { HttpCache } from '../core/http-cache.ts';
import { invalidatedUrls, isReusablePostResponse } from '../core/http/index.ts';
import { headerListFrom } from '../core/meta.ts';
import { normalizeUrl } from '../core/key.ts';
import { admit } from './admission.ts';
import type { FlowDeps, WaitUntil } from './flow-deps.ts';
import { forwardedResponse } from './respond.ts';
import { askOrigin, type Upstream } from './upstream.ts';

export async function handleUnsafe(
  deps: FlowDeps,
  request: Request,
  waitUntil: WaitUntil,
): Promise<Response> {
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
  const storable =
    request.method === 'POST' &&
    isReusablePostResponse(request.url, headerListFrom(response.headers));
  if (storable) return storeForGets(deps, request, upstream, waitUntil);
  return forwardedResponse(response, { fwd: 'method', fwdStatus: response.status });
}

/**
 * A POST response that describes its own URL (RFC 9110 §9.3.3) is admitted like a miss, under
 * the URL's key, so later GETs get it while it is fresh.
 */
function storeForGets(
  deps: FlowDeps,
  request: Request,
  upstream: Upstream,
  waitUntil: WaitUntil,
): Promise<Response> {
  const { storage, eviction, options, now } = deps;
  const cache = new HttpCache();
  cache.enable({ storage, eviction, clock: now });
  cache.setCacheKey({ namespace: options.namespace, primary: normalizeUrl(request.url) });
  cache.setMaxFileSizeBytes(options.maxBodySize);
  cache.cacheMiss();
  return admit({ deps, cache, request, waitUntil }, upstream, 'method');
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
