/** Byte-budget LRU eviction (the `EvictionManager` of `src/core/eviction.ts`) and its budget. */
export { LruEvictionManager } from './lru.ts';
export type { EvictionBudget, EvictionStats, StoredEntry } from './lru.ts';
export {
  DEFAULT_MAX_ENTRIES,
  FALLBACK_BUDGET_BYTES,
  MAX_BUDGET_BYTES,
  MIN_BUDGET_BYTES,
  QUOTA_SHARE,
  defaultBudget,
  estimateBudget,
} from './budget.ts';
export type { QuotaEstimate } from './budget.ts';
