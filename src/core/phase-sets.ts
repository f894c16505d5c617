/**
 * Which phases allow which `HttpCache` operations (the arms of pingora's `match` on the cache phase).
 */
import type { CachePhase, CachePhaseName } from './phase.ts';

export type Phases = readonly CachePhaseName[];

/** Every phase but `disabled`. */
export const ENABLED: Phases = [
  'uninitialized',
  'bypass',
  'key',
  'hit',
  'miss',
  'stale',
  'stale-updating',
  'expired',
  'revalidated',
  'revalidated-nocache',
];
/** Phases where the cache key is set. */
export const KEYED: Phases = ENABLED.filter((name) => name !== 'uninitialized');
/** Phases where a stored (or revalidated, or replacing) response's meta is known. */
export const WITH_META: Phases = KEYED.filter((name) => !['bypass', 'key', 'miss'].includes(name));
/** Phases that read a stored body. */
export const WITH_HIT: Phases = WITH_META.filter((name) => name !== 'expired');
/** Phases that store a response from the origin. */
export const ADMITTING: Phases = ['miss', 'expired'];
/** Phases holding a stale entry. */
export const STALE: Phases = ['stale', 'stale-updating'];

/** A phase without a reason. */
export function phaseNamed(
  name: Exclude<CachePhaseName, 'disabled' | 'revalidated-nocache'>,
): CachePhase {
  return { name };
}
