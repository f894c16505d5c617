/**
 * A request that matches no stored variant while other variants of the URL are stored with
 * entity tags (RFC 9111 §4.3.1): the request to the origin carries their tags in
 * `If-None-Match` (newest first, each once, bounded: `offerVariantTags`), and a 304 that names
 * one selects that stored variant for this request too (§4.3.4): its body is served and stored
 * under this request's variance, without downloading it again. The variants come from
 * `Storage.listVariants` (a storage without it offers its primary slot alone).
 */
import { merge304Headers, offerVariantTags, selectNotModified } from '../core/http/index.ts';
import type { StoredVariant } from '../core/storage.ts';
import { admit } from './admission.ts';
import { hitToBody } from './body-stream.ts';
import type { RequestContext } from './flow-deps.ts';
import type { Upstream } from './upstream.ts';

/** Fields that make the page's request conditional or partial: then it is sent as it is. */
const OWN_CONDITIONS = ['if-none-match', 'if-modified-since', 'if-match', 'if-range', 'range'];

/** The request's headers with the offer, and the variants it names. */
export interface TaggedRequest {
  readonly headers: Headers;
  readonly offered: readonly StoredVariant[];
}

/**
 * The request's headers with `If-None-Match` naming the entity tags of `variants`, or
 * `undefined` when there is nothing to offer (a HEAD, a page's own conditional or range
 * request, no variant with a tag).
 */
export function withVariantTags(
  request: Request,
  variants: readonly StoredVariant[],
): TaggedRequest | undefined {
  if (request.method !== 'GET' || OWN_CONDITIONS.some((name) => request.headers.has(name))) {
    return undefined;
  }
  const offer = offerVariantTags(variants);
  if (offer === undefined) return undefined;
  const headers = new Headers(request.headers);
  headers.set('if-none-match', offer.ifNoneMatch);
  return { headers, offered: offer.variants };
}

/**
 * Answers with the offered variant the origin's 304 names: the stored headers merged with the
 * 304's (§3.2) and the stored body, stored under this request's variance as it streams. `null`
 * when the answer is not such a 304 or the variant was replaced meanwhile.
 */
export async function admitSelectedVariant(
  ctx: RequestContext,
  offered: readonly StoredVariant[],
  upstream: Upstream,
): Promise<Response | null> {
  const { response } = upstream;
  if (response.status !== 304) return null;
  const chosen = selectNotModified(offered, response.headers);
  if (chosen === undefined) return null;
  const found = await ctx.deps.storage.lookup(chosen.key);
  if (found === null) return null;
  const same =
    found.meta.variance === chosen.meta.variance &&
    found.meta.validators.etag === chosen.meta.validators.etag;
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
