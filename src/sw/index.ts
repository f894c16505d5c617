/**
 * The worker side of sw-http-cache (`import … from 'sw-http-cache/sw'`).
 */
export { installHttpCache, type InstallOptions } from './install.ts';
export { HttpCacheHandler } from './handler.ts';
export type { HttpCacheOptions, RouteMatcher } from './config.ts';
export { formatCacheStatus, type CacheStatus, type ForwardReason } from './cache-status.ts';
export { listenForControl, type ControlledCache } from './control.ts';
export type {
  CacheEntryInfo,
  CacheStats,
  ControlApi,
  PurgeTarget,
  ResolvedPurgeTarget,
} from '../protocol/control-protocol.ts';
