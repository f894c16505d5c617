/** `purge(target)`: what the handler and the control endpoint both do with a purge target. */
import { resolvePurgeTarget, type PurgeTarget } from '../protocol/control-protocol.ts';

export interface Purger {
  purgeUrl(url: string): Promise<number>;
  purgePrefix(prefix: string): Promise<number>;
  purgeTag(tag: string): Promise<number>;
}

/**
 * Removes what `target` names; relative URLs resolve against `base` (the worker's origin). Not
 * async: a bad target throws its TypeError at the call, as the page's client does.
 */
export function purgeTarget(runtime: Purger, target: PurgeTarget, base: string): Promise<number> {
  const resolved = resolvePurgeTarget(target, base);
  if ('url' in resolved) return runtime.purgeUrl(resolved.url);
  if ('prefix' in resolved) return runtime.purgePrefix(resolved.prefix);
  return runtime.purgeTag(resolved.tag);
}
