import { describe, expect, it } from 'vitest';
import type { CacheKey } from '../core/key.ts';
import { LruEvictionManager } from './lru.ts';

function key(path: string, variance?: string): CacheKey {
  return { namespace: 'test', primary: `https://example.test${path}`, variance };
}

function paths(keys: readonly CacheKey[]): string[] {
  return keys.map((k) => k.primary.replace('https://example.test', '') + (k.variance ?? ''));
}

/** A manager of `maxBytes` and ten entries that admitted `sizes` in order, least recent first. */
function admitted(maxBytes: number, sizes: Record<string, number>): LruEvictionManager {
  const lru = new LruEvictionManager({ maxBytes, maxEntries: 10 });
  for (const [path, size] of Object.entries(sizes)) lru.admit(key(path), size, 0);
  return lru;
}

describe('LruEvictionManager admission', () => {
  it('evicts least recently used entries until the byte budget holds', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    expect(lru.admit(key('/a'), 40, 0)).toEqual([]);
    expect(lru.admit(key('/b'), 40, 0)).toEqual([]);
    expect(paths(lru.admit(key('/c'), 40, 0))).toEqual(['/a']);
    expect(lru.stats()).toEqual({ entries: 2, bytes: 80, maxBytes: 100, maxEntries: 10 });
    expect(paths(lru.admit(key('/d'), 90, 0))).toEqual(['/b', '/c']);
    expect(lru.stats().bytes).toBe(90);
  });

  it('evicts by entry count', () => {
    const lru = new LruEvictionManager({ maxBytes: 1000, maxEntries: 2 });
    lru.admit(key('/a'), 1, 0);
    lru.admit(key('/b'), 1, 0);
    expect(paths(lru.admit(key('/c'), 1, 0))).toEqual(['/a']);
    expect(lru.stats().entries).toBe(2);
  });

  it('replaces the size of a re-admitted key and makes it the most recent', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    lru.admit(key('/a'), 30, 0);
    lru.admit(key('/b'), 30, 0);
    lru.admit(key('/a'), 50, 0);
    expect(lru.stats()).toMatchObject({ entries: 2, bytes: 80 });
    expect(paths(lru.admit(key('/c'), 30, 0))).toEqual(['/b']);
  });

  it('evicts only the admitted key when it alone is over the byte budget', () => {
    const lru = admitted(100, { '/a': 60, '/big': 20 });
    expect(paths(lru.admit(key('/big'), 101, 0))).toEqual(['/big']);
    expect(lru.has(key('/big'))).toBe(false);
    expect(lru.has(key('/a'))).toBe(true);
    expect(lru.stats()).toMatchObject({ entries: 1, bytes: 60 });
  });

  it('keeps an entry exactly at the budget', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 1 });
    lru.admit(key('/a'), 10, 0);
    expect(paths(lru.admit(key('/b'), 100, 0))).toEqual(['/a']);
    expect(lru.has(key('/b'))).toBe(true);
  });

  it('tracks variants of one URL separately', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    lru.admit(key('/v', 'gzip'), 10, 0);
    lru.admit(key('/v', 'br'), 20, 0);
    lru.admit(key('/v'), 30, 0);
    expect(lru.stats()).toMatchObject({ entries: 3, bytes: 60 });
  });

  it('rejects invalid sizes and budgets', () => {
    expect(() => new LruEvictionManager({ maxBytes: -1, maxEntries: 1 })).toThrow(RangeError);
    expect(() => new LruEvictionManager({ maxBytes: 1, maxEntries: 0 })).toThrow(RangeError);
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    expect(() => lru.admit(key('/a'), Number.NaN, 0)).toThrow(RangeError);
    expect(() => lru.admit(key('/a'), -5, 0)).toThrow(RangeError);
    expect(lru.stats().entries).toBe(0);
  });
});

describe('LruEvictionManager recency', () => {
  it('moves an accessed entry to the most recent place', () => {
    const lru = admitted(30, { '/a': 10, '/b': 10, '/c': 10 });
    expect(lru.access(key('/a'), 10, 0)).toBe(true);
    expect(paths(lru.admit(key('/d'), 10, 0))).toEqual(['/b']);
    expect(paths(lru.admit(key('/e'), 10, 0))).toEqual(['/c']);
    expect(paths(lru.admit(key('/f'), 10, 0))).toEqual(['/a']);
  });

  it('does not know, nor add, keys it never admitted', () => {
    const lru = new LruEvictionManager({ maxBytes: 30, maxEntries: 10 });
    expect(lru.access(key('/a'), 10, 0)).toBe(false);
    expect(lru.stats().entries).toBe(0);
  });

  it('keeps the admitted size when a hit does not know it', () => {
    const lru = new LruEvictionManager({ maxBytes: 30, maxEntries: 10 });
    lru.admit(key('/a'), 25, 0);
    lru.access(key('/a'), 0, 0);
    expect(lru.stats().bytes).toBe(25);
  });

  it('forgets removed keys and clears', () => {
    const lru = admitted(30, { '/a': 10, '/b': 10 });
    lru.remove(key('/a'));
    lru.remove(key('/never'));
    expect(lru.has(key('/a'))).toBe(false);
    expect(lru.access(key('/a'), 10, 0)).toBe(false);
    expect(lru.stats()).toMatchObject({ entries: 1, bytes: 10 });
    lru.clear();
    expect(lru.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });
});

describe('LruEvictionManager budget stream', () => {
  it('never exceeds either budget over 10,000 random admissions and hits', () => {
    const budget = { maxBytes: 50_000, maxEntries: 200 };
    const lru = new LruEvictionManager(budget);
    let seed = 42;
    const random = (n: number): number => {
      // xorshift32: deterministic, so a failure can be replayed.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const shadow = new Map<string, number>();
    let evictedTotal = 0;
    for (let i = 0; i < 10_000; i++) {
      const path = `/r${random(600)}`;
      if (random(4) === 0) {
        expect(lru.access(key(path), 0, 0)).toBe(shadow.has(path));
        continue;
      }
      const size = random(5) === 0 ? random(60_000) : random(2_000);
      const evicted = lru.admit(key(path), size, 0);
      shadow.set(path, size);
      for (const victim of paths(evicted)) shadow.delete(victim);
      evictedTotal += evicted.length;
      const bytes = [...shadow.values()].reduce((a, b) => a + b, 0);
      expect(bytes).toBeLessThanOrEqual(budget.maxBytes);
      expect(shadow.size).toBeLessThanOrEqual(budget.maxEntries);
      expect(lru.stats()).toMatchObject({ entries: shadow.size, bytes });
      if (size <= budget.maxBytes) expect(lru.has(key(path))).toBe(true);
    }
    expect(evictedTotal).toBeGreaterThan(1000);
  });
});

/** Stored entries of 10 bytes each, last accessed at the given times, for `rebuild`. */
function tenBytesAccessedAt(times: Record<string, number>) {
  return Object.entries(times).map(([path, lastAccess]) => ({
    key: key(path),
    size: 10,
    lastAccess,
  }));
}

describe('LruEvictionManager rebuild', () => {
  it('restores the order from last access times, oldest evicted first', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    const evicted = lru.rebuild(tenBytesAccessedAt({ '/new': 300, '/old': 100, '/mid': 200 }));
    expect(evicted).toEqual([]);
    expect(lru.stats()).toMatchObject({ entries: 3, bytes: 30 });
    expect(paths(lru.evictBytes(20))).toEqual(['/old', '/mid']);
  });

  it('returns the keys to evict when storage is over budget', () => {
    const lru = new LruEvictionManager({ maxBytes: 25, maxEntries: 2 });
    const evicted = lru.rebuild(tenBytesAccessedAt({ '/c': 3, '/a': 1, '/b': 2 }));
    expect(paths(evicted)).toEqual(['/a']);
    expect(lru.stats()).toMatchObject({ entries: 2, bytes: 20 });
  });

  it('keeps keys admitted before the rebuild as the most recent, with their new size', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    lru.admit(key('/fresh'), 40, 0);
    lru.rebuild([
      { key: key('/fresh'), size: 5, lastAccess: 900 },
      { key: key('/stored'), size: 10, lastAccess: 100 },
    ]);
    expect(lru.stats()).toMatchObject({ entries: 2, bytes: 50 });
    expect(paths(lru.evictBytes(1))).toEqual(['/stored']);
  });

  it('counts invalid stored sizes as zero bytes', () => {
    const lru = new LruEvictionManager({ maxBytes: 100, maxEntries: 10 });
    lru.rebuild([{ key: key('/x'), size: Number.NaN, lastAccess: 1 }]);
    expect(lru.stats()).toMatchObject({ entries: 1, bytes: 0 });
  });
});

describe('LruEvictionManager quota path', () => {
  it('evictBytes frees at least the bytes asked, least recent first', () => {
    const lru = admitted(1000, { '/a': 30, '/b': 30, '/c': 30 });
    lru.access(key('/a'), 30, 0);
    expect(paths(lru.evictBytes(31))).toEqual(['/b', '/c']);
    expect(lru.stats()).toMatchObject({ entries: 1, bytes: 30 });
    expect(lru.evictBytes(0)).toEqual([]);
    expect(paths(lru.evictBytes(1_000_000))).toEqual(['/a']);
  });

  it('setBudget evicts down to a smaller budget', () => {
    const lru = admitted(1000, { '/a': 30, '/b': 30 });
    expect(paths(lru.setBudget({ maxBytes: 40, maxEntries: 10 }))).toEqual(['/a']);
    expect(lru.stats()).toEqual({ entries: 1, bytes: 30, maxBytes: 40, maxEntries: 10 });
  });
});
