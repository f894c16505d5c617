/**
 * A request that matches no stored variant while another variant of the URL is stored with an
 * entity tag (RFC 9111 §4.3.1): the request to the origin carries that tag in `If-None-Match`,
 * and a 304 that names it selects the stored variant for this request too (§4.3.4): its body is
 * served and stored under this request's variance, without downloading it again.
 *
 * The storage keeps no list of a URL's variants, so the candidate is the primary slot's response
 * (the latest variant stored); §4.3.1 says a cache "can" send the tags of the stored responses
 * it has, not that it must send all of them.
 */
import { identifiesStoredResponse, merge304Headers } from '../core/http/index.ts';
import { withoutVariance } from '../core/key.ts';
import type { CacheMeta } from '../core/meta.ts';
import { admit } from './admission.ts';
import { hitToBody } from './body-stream.ts';
import type { RequestContext } from './flow-deps.ts';
import type { Upstream } from './upstream.ts';

/** Fields that make the page's request conditional or partial: then it is sent as it is. */
const OWN_CONDITIONS = ['if-none-match', 'if-modified-since', 'if-match', 'if-range', 'range'];

/**
 * The request's headers with `If-None-Match` naming `other`'s entity tag, or `undefined` when
 * there is nothing to offer (a HEAD, a page's own conditional or range request, no tag).
 */
export function withVariantTag(
  request: Request,
  other: CacheMeta | undefined,
): Headers | undefined {
  const etag = other?.validators.etag?.trim();
  if (request.method !== 'GET' || etag === undefined || !/^(W\/)?"[^"]*"$/.test(etag)) {
    return undefined;
  }
  if (OWN_CONDITIONS.some((name) => request.headers.has(name))) return undefined;
  const headers = new Headers(request.headers);
  headers.set('if-none-match', etag);
  return headers;
}

/**
 * Answers with the stored variant `other` when the origin's 304 names it: the stored headers
 * merged with the 304's (§3.2) and the stored body, stored under this request's variance as it
 * streams. `null` when the answer is not such a 304 or the variant is gone meanwhile.
 */
export async function admitSelectedVariant(
  ctx: RequestContext,
  other: CacheMeta,
  upstream: Upstream,
): Promise<Response | null> {
  const { response } = upstream;
  if (response.status !== 304 || !identifiesStoredResponse(other, response.headers)) return null;
  const found = await ctx.deps.storage.lookup(withoutVariance(ctx.cache.cacheKey()));
  if (found === null) return null;
  const same =
    found.meta.variance === other.variance && found.meta.validators.etag === other.validators.etag;
  if (!same) {
    await found.hit.finish();
    return null;
  }
  const headers = merge304Headers(found.meta.headers, response.headers, upstream.responseTime);
  const selected = new Response(await hitToBody(found.hit), {
    status: found.meta.status,
    statusText: found.meta.statusText,
    headers: headers.map(([name, value]): [string, string] => [name, value]),
  });
  return admit(ctx, { ...upstream, response: selected }, 'vary-miss', 304);
}
