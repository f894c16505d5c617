/**
 * The page side of sw-http-cache (`import … from 'sw-http-cache'`): register the worker and
 * control the cache from the page. `src/public-api.test.ts` pins this list (see api/).
 */
export {
  connectHttpCache,
  registerHttpCache,
  type ConnectOptions,
  type RegisterOptions,
} from './register.ts';
export { HttpCacheClient, type ControlClientOptions } from './control-client.ts';
export { WorkerUnavailableError } from './connection.ts';
export type { CacheEntryInfo, CacheStats, PurgeTarget } from '../protocol/control-protocol.ts';
export type { CacheEvent, CacheEventKey, CacheEventType } from '../protocol/events.ts';
export type { OutcomeEvent, OutcomeKind } from '../protocol/outcome-events.ts';
