/**
 * The eviction contract (pingora `EvictionManager`). Implementations live in `src/eviction/`.
 */
import type { CacheKey } from './key.ts';

export interface EvictionManager {
  /** Records a newly stored entry of `size` bytes; returns the keys to evict to stay in budget. */
  admit(key: CacheKey, size: number, freshUntil: number): CacheKey[];
  /** Records a hit; `false` when the key is unknown to the manager. */
  access(key: CacheKey, size: number, freshUntil: number): boolean;
  /** Forgets a key that was purged by other means. */
  remove(key: CacheKey): void;
}
