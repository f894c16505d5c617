/**
 * Optional parts of the worker. A worker imports each by name from `sw-http-cache/sw` and passes
 * it in the `features` option; a feature it does not import is not in its bundle. This module
 * holds only the contract (types and a lookup), so that importing it costs no feature.
 */
import type { Announcements } from './announcements.ts';
import type { ControlFeature } from './control-endpoint.ts';
import type { CrossContextFeature } from './cross-context.ts';
import type { MultipartRanges } from './multipart-ranges.ts';
import type { PartialContent } from './partial-content.ts';
import type { SearchVariance } from './search-variance.ts';

/**
 * An optional part of the cache, made by `controlEndpoint()`, `crossContext()`,
 * `noVarySearch()`, `multipartRanges()` or `partialContent()`, and passed in `features`.
 */
export interface HttpCacheFeature {
  /** The feature's name, e.g. `control-endpoint`. */
  readonly name: string;
}

/** What the features plug in, at most one of each (internal). */
export interface FeatureParts {
  readonly control?: ControlFeature | undefined;
  readonly crossContext?: CrossContextFeature | undefined;
  readonly searchVariance?: (() => SearchVariance) | undefined;
  readonly multipartRanges?: MultipartRanges | undefined;
  readonly partialContent?: PartialContent | undefined;
  /** The cache events, for the features whose listeners hear them. */
  readonly announcements?: Announcements | undefined;
}

interface Feature extends HttpCacheFeature {
  readonly parts: FeatureParts;
}

/** A feature named `name` that plugs in `parts`. */
export function defineFeature(name: string, parts: FeatureParts): HttpCacheFeature {
  const feature: Feature = { name, parts };
  return feature;
}

/** The parts of `features`; throws a TypeError on anything that is not one of ours. */
export function featureParts(features: readonly HttpCacheFeature[] = []): FeatureParts {
  if (!Array.isArray(features)) {
    throw new TypeError('sw-http-cache: features must be an array, e.g. [controlEndpoint()]');
  }
  const parts: FeatureParts = {};
  for (const feature of features) {
    const own = (feature as Partial<Feature> | null)?.parts;
    if (typeof own !== 'object' || own === null) {
      throw new TypeError(
        `sw-http-cache: ${String(feature)} is not a feature: pass what controlEndpoint(), crossContext(), noVarySearch(), multipartRanges() or partialContent() return`,
      );
    }
    Object.assign(parts, own);
  }
  return parts;
}
