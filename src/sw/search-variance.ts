/**
 * `No-Vary-Search` in the lookup (draft-ietf-httpbis-no-vary-search §6): a stored response may
 * answer a URL that differs from its own only in query parameters its `No-Vary-Search` says do
 * not matter. As the draft's §6 suggests, the cache remembers, per URL without its query, the
 * most recently seen stored URL whose response carried a non-default `No-Vary-Search`, and a
 * request that misses its own URL is looked up under that URL when the two are equivalent. The
 * draft lets a cache miss other candidates ("MAY fail to reuse"), so one per path is enough.
 *
 * The memory is per worker and not persisted: after a restart, a URL is found this way again
 * once it or its stored equivalent has been requested (a miss costs one download, nothing else).
 *
 * A feature (`features: [noVarySearch()]`): without it, URLs are matched exactly, as a cache that
 * does not know the field does.
 */
import {
  equivalentModuloSearchVariance,
  isDefaultSearchVariance,
  parseNoVarySearch,
  withoutQuery,
} from '../core/http/index.ts';
import type { CacheKey } from '../core/key.ts';
import { getCombinedHeader, type HeaderList } from '../core/meta.ts';
import type { Storage } from '../core/storage.ts';
import { defineFeature, type HttpCacheFeature } from './features.ts';

/** What the fetch flow asks of `No-Vary-Search`. */
export interface SearchVariance {
  /** Remembers that `url` is stored with `headers` (see {@link SearchVarianceHints.record}). */
  record(url: string, headers: HeaderList): void;
  /**
   * The key of a request whose URL is `exact`'s: `exact`; or, with nothing stored under it, the
   * stored URL whose `No-Vary-Search` makes the two equivalent. The draft's order: an exact match
   * first.
   */
  keyFor(exact: CacheKey, storage: Storage): Promise<CacheKey>;
}

/**
 * `No-Vary-Search` (the IETF draft Chromium implements): a stored response answers URLs that
 * differ from its own only in the query parameters its `No-Vary-Search` says do not matter.
 */
export function noVarySearch(): HttpCacheFeature {
  return defineFeature('no-vary-search', { searchVariance: () => new SearchVarianceHints() });
}

/** How many paths are remembered; the least recently recorded go first. */
const MAX_PATHS = 1000;

export class SearchVarianceHints implements SearchVariance {
  /** URL without query → the stored URL with a non-default `No-Vary-Search`. */
  readonly #byPath = new Map<string, string>();

  /**
   * Remembers that `url` (normalised) is stored with `headers`; forgets its path when the
   * response has no usable `No-Vary-Search` and was the remembered one.
   */
  record(url: string, headers: HeaderList): void {
    const path = withoutQuery(new URL(url));
    const variance = parseNoVarySearch(getCombinedHeader(headers, 'no-vary-search'));
    if (isDefaultSearchVariance(variance)) {
      if (this.#byPath.get(path) === url) this.#byPath.delete(path);
      return;
    }
    this.#byPath.delete(path);
    this.#byPath.set(path, url);
    if (this.#byPath.size > MAX_PATHS) {
      const [oldest] = this.#byPath.keys();
      if (oldest !== undefined) this.#byPath.delete(oldest);
    }
  }

  async keyFor(exact: CacheKey, storage: Storage): Promise<CacheKey> {
    const candidate = this.#byPath.get(withoutQuery(new URL(exact.primary)));
    if (candidate === undefined || candidate === exact.primary) return exact;
    const own = await storage.lookup(exact);
    if (own !== null) {
      await own.hit.finish();
      return exact;
    }
    const key: CacheKey = { namespace: exact.namespace, primary: candidate };
    const stored = await storage.lookup(key);
    if (stored === null) return exact;
    await stored.hit.finish();
    return answersBySearchVariance(exact.primary, candidate, stored.meta.headers) ? key : exact;
  }
}

/**
 * Whether a stored response (`storedUrl`, `headers`) may answer `url` by its `No-Vary-Search`:
 * the field parses to a non-default variance and the two URLs are equivalent under it.
 */
function answersBySearchVariance(url: string, storedUrl: string, headers: HeaderList): boolean {
  const variance = parseNoVarySearch(getCombinedHeader(headers, 'no-vary-search'));
  return (
    !isDefaultSearchVariance(variance) && equivalentModuloSearchVariance(url, storedUrl, variance)
  );
}
