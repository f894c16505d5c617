/**
 * A URL's stored variants, from any storage: its `listVariants` when it has one, else the
 * primary slot alone (the latest response stored under the URL's own key), which is all a
 * storage without the capability can tell. Wrappers and the composition list their layers
 * through this too, so a layer without the capability still contributes its primary slot.
 */
import { withoutVariance, type CacheKey } from './key.ts';
import type { Storage, StoredVariant } from './storage.ts';

export async function listStoredVariants(
  storage: Storage,
  key: CacheKey,
): Promise<readonly StoredVariant[]> {
  if (storage.listVariants !== undefined) return storage.listVariants(key);
  const primary = withoutVariance(key);
  const found = await storage.lookup(primary);
  if (found === null) return [];
  // A write in progress has no size yet: only complete entries are listed.
  const complete = found.hit.size !== undefined;
  await found.hit.finish();
  return complete ? [{ key: primary, meta: found.meta }] : [];
}
