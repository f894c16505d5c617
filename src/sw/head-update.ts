/**
 * A 200 answer to HEAD updates the stored GET response it describes, or drops it when it
 * describes another one (RFC 9111 §4.3.5).
 */
import { freshenWithHead, varianceHash } from '../core/http/index.ts';
import { normalizeUrl, withVariance, type CacheKey } from '../core/key.ts';
import type { CacheMeta } from '../core/meta.ts';
import type { FlowDeps } from './flow-deps.ts';
import { requestSnapshot, type Upstream } from './upstream.ts';

/**
 * Finds the stored GET response `request` could have been answered with (§4.1) and updates its
 * headers and freshness from the HEAD answer in `upstream`, or removes it when the answer's
 * validators or length say the resource changed. Never rejects: a failure only leaves the entry
 * as it was.
 */
export async function updateFromHead(
  deps: FlowDeps,
  request: Request,
  upstream: Upstream,
): Promise<void> {
  if (upstream.response.status !== 200) return;
  try {
    const found = await storedGet(deps, request);
    if (found === null) return;
    const { key, meta, size } = found;
    const result = freshenWithHead(
      meta,
      requestSnapshot(request),
      upstream.response.headers,
      upstream,
      size,
      { cacheAuthorized: deps.options.cacheAuthorized },
    );
    if (result.kind === 'updated') {
      await deps.storage.updateMeta(key, { ...result.meta, created: meta.created });
    } else {
      deps.eviction?.remove(key);
      await deps.storage.purge(key, 'invalidation');
    }
  } catch (error) {
    deps.log('could not update the stored GET from a HEAD answer', error);
  }
}

/** The stored GET entry `request` selects (following Vary), with its key, or `null`. */
async function storedGet(
  deps: FlowDeps,
  request: Request,
): Promise<{ key: CacheKey; meta: CacheMeta; size: number | undefined } | null> {
  const { namespace, validAfter } = deps.options;
  const primary: CacheKey = { namespace, primary: normalizeUrl(request.url) };
  const read = async (key: CacheKey) => {
    const found = await deps.storage.lookup(key);
    if (found === null) return null;
    await found.hit.finish();
    const tooOld = validAfter !== undefined && found.meta.created < validAfter;
    return tooOld ? null : { key, meta: found.meta, size: found.hit.size };
  };
  const first = await read(primary);
  if (first === null) return first;
  const variance = varianceHash(first.meta.vary, request.headers);
  // The primary slot holds the latest variant; the others live under their variance.
  if (first.meta.variance === variance) return first;
  const variant = await read(withVariance(primary, variance));
  return variant?.meta.variance === variance ? variant : null;
}
