/**
 * The default eviction budget, from the origin's storage quota (`navigator.storage.estimate()`).
 *
 * Rule: half the quota (the origin shares it with everything else it stores), at most 1 GiB (a
 * cache, not an archive) and at least 16 MiB; 100 MiB when the quota is unknown. At most 10,000
 * entries, which bounds the meta records (headers are not counted in the byte budget) and the
 * size of the rebuild after a restart.
 */
import type { EvictionBudget } from './lru.ts';

const MiB = 1024 * 1024;

export const MIN_BUDGET_BYTES = 16 * MiB;
export const MAX_BUDGET_BYTES = 1024 * MiB;
/** Used when the quota cannot be estimated. */
export const FALLBACK_BUDGET_BYTES = 100 * MiB;
export const DEFAULT_MAX_ENTRIES = 10_000;
/** The share of the quota the cache may use. */
export const QUOTA_SHARE = 0.5;

/** The fields of a `StorageEstimate` the budget reads. */
export interface QuotaEstimate {
  readonly quota?: number | undefined;
  readonly usage?: number | undefined;
}

/** The budget for an estimate; `undefined` (or an unusable quota) gives the fallback. */
export function defaultBudget(estimate: QuotaEstimate | undefined): EvictionBudget {
  const quota = estimate?.quota;
  const usable = typeof quota === 'number' && Number.isFinite(quota) && quota > 0;
  const share = usable ? Math.floor(quota * QUOTA_SHARE) : FALLBACK_BUDGET_BYTES;
  return {
    maxBytes: Math.min(MAX_BUDGET_BYTES, Math.max(MIN_BUDGET_BYTES, share)),
    maxEntries: DEFAULT_MAX_ENTRIES,
  };
}

/**
 * Asks the browser for its storage estimate and returns {@link defaultBudget} of it. Never
 * rejects: without the API (Node, old browsers) or when it fails, the fallback budget is used.
 */
export async function estimateBudget(): Promise<EvictionBudget> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (typeof storage?.estimate !== 'function') return defaultBudget(undefined);
  try {
    return defaultBudget(await storage.estimate());
  } catch {
    return defaultBudget(undefined);
  }
}
