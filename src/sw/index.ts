/**
 * The worker side of sw-http-cache (`import … from 'sw-http-cache/sw'`): only what a worker
 * script calls or types. `src/public-api.test.ts` pins this list (see api/).
 */
export {
  claimClients,
  installHttpCache,
  listenForSkipWaiting,
  type InstallOptions,
} from './install.ts';
export { HttpCacheHandler } from './handler.ts';
export type { HttpCacheOptions, RouteMatcher, UrlTest } from './config.ts';
export type { ControlledCache } from './control.ts';
export type { HttpCacheFeature } from './features.ts';
export { controlEndpoint } from './control-endpoint.ts';
export { crossContext } from './cross-context.ts';
export { noVarySearch } from './search-variance.ts';
export { multipartRanges } from './multipart-ranges.ts';
export { partialContent } from './partial-content.ts';
export type { CacheEntryInfo, CacheStats, PurgeTarget } from '../protocol/control-protocol.ts';
