/**
 * The fetch flow as the unit tests build it: the worker's options resolved against `base`, no
 * logging, and the cache cleared through `storage` unless a test counts the clears itself.
 */
import type { Storage } from '../../core/storage.ts';
import { resolveOptions, type HttpCacheOptions } from '../config.ts';
import { FetchFlow } from '../fetch-flow.ts';
import type { FlowDeps } from '../flow-deps.ts';

export interface TestFlowParts extends Partial<Omit<FlowDeps, 'options' | 'storage'>> {
  /** The worker's origin (`self.location.origin`). */
  readonly base: string;
  readonly options?: HttpCacheOptions;
  readonly storage: Storage & { clear(): Promise<void> };
  readonly fetch: FlowDeps['fetch'];
  readonly now: FlowDeps['now'];
}

export function testFlowDeps({ base, options = {}, storage, ...rest }: TestFlowParts): FlowDeps {
  return {
    options: resolveOptions(options, base),
    storage,
    clear: () => storage.clear(),
    log: () => undefined,
    ...rest,
  };
}

export function testFlow(parts: TestFlowParts): FetchFlow {
  return new FetchFlow(testFlowDeps(parts));
}
