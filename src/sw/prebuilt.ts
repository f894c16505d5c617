/// <reference lib="webworker" />
/**
 * The prebuilt worker (`dist/worker/sw-http-cache.js` and `.mjs`, the package's `./worker.js` and
 * `./worker.mjs`): the names of `sw-http-cache/sw` with every feature on by default. An app
 * without a bundler cannot drop what it does not use, so it gets everything; `features: []` (or
 * a shorter list) still turns features off.
 */
import { controlEndpoint } from './control-endpoint.ts';
import { crossContext } from './cross-context.ts';
import type { HttpCacheOptions } from './config.ts';
import type { HttpCacheFeature } from './features.ts';
import { HttpCacheHandler as Handler } from './handler.ts';
import { installHttpCache as install, type InstallOptions } from './install.ts';
import { multipartRanges } from './multipart-ranges.ts';
import { partialContent } from './partial-content.ts';
import { noVarySearch } from './search-variance.ts';

export * from './index.ts';

/** Every feature of `sw-http-cache/sw`. */
export function allFeatures(): HttpCacheFeature[] {
  return [controlEndpoint(), crossContext(), noVarySearch(), multipartRanges(), partialContent()];
}

/** `installHttpCache` with {@link allFeatures} unless `options.features` says otherwise. */
export function installHttpCache(options: InstallOptions = {}): Handler {
  return install({ features: allFeatures(), ...options });
}

/** `HttpCacheHandler` with {@link allFeatures} unless `options.features` says otherwise. */
export class HttpCacheHandler extends Handler {
  constructor(options: HttpCacheOptions = {}) {
    super({ features: allFeatures(), ...options });
  }
}
