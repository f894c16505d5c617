import { describe, expect, it } from 'vitest';
import type { CachePhaseName } from '../core/phase.ts';
import { RequestStats } from './stats.ts';

function outcome(url: string, phase: CachePhaseName, time = 0) {
  return { url, method: 'GET', phase, status: 200, cacheStatus: null, time };
}

describe('RequestStats', () => {
  it('counts answers by outcome and computes the hit ratio', () => {
    const stats = new RequestStats();
    for (const phase of [
      'hit',
      'hit',
      'stale-updating',
      'miss',
      'revalidated',
      'disabled',
    ] as const) {
      stats.record(outcome('https://a.test/x', phase));
    }
    expect(stats.totals()).toEqual({ hits: 3, misses: 1, stale: 1, uncached: 1 });
    expect(stats.hitRatio()).toBeCloseTo(0.5);
    expect(new RequestStats().hitRatio()).toBe(0);
  });

  it('keeps the last outcome per URL, forgetting the oldest URL beyond its bound', () => {
    const stats = new RequestStats();
    stats.record(outcome('https://a.test/0', 'miss', 1));
    stats.record(outcome('https://a.test/0', 'hit', 2));
    expect(stats.lastOutcome('https://a.test/0')).toMatchObject({ phase: 'hit', time: 2 });
    for (let i = 1; i <= 1_000; i++) stats.record(outcome(`https://a.test/${i}`, 'miss'));
    expect(stats.lastOutcome('https://a.test/0')).toBeUndefined();
    expect(stats.lastOutcome('https://a.test/1000')).toBeDefined();
  });
});

describe('RequestStats: bytes from the cache, reset and listeners', () => {
  const sized = (phase: CachePhaseName, bytes: number, status = 200) => ({
    ...outcome('https://a.test/x', phase),
    status,
    bytes,
  });

  it('counts body bytes the page got from storage, not those the origin sent', () => {
    const stats = new RequestStats();
    for (const phase of ['hit', 'stale-updating', 'revalidated', 'stale'] as const) {
      stats.record(sized(phase, 100));
    }
    for (const phase of ['miss', 'expired', 'disabled', 'revalidated-nocache'] as const) {
      stats.record(sized(phase, 1_000));
    }
    stats.record(sized('stale', 1_000, 0)); // a network error: nothing was served
    expect(stats.savedBytes()).toBe(400);
  });

  it('reset() forgets counts, bytes, failures and last outcomes', () => {
    const stats = new RequestStats();
    stats.record(sized('hit', 10));
    stats.storeFailed('upstream');
    stats.storeFailed('upstream');
    stats.storeFailed('store');
    expect(stats.storeFailures()).toEqual({ upstream: 2, storage: 1 });
    stats.reset();
    expect(stats.storeFailures()).toEqual({ upstream: 0, storage: 0 });
    expect(stats.totals()).toEqual({ hits: 0, misses: 0, stale: 0, uncached: 0 });
    expect(stats.savedBytes()).toBe(0);
    expect(stats.hitRatio()).toBe(0);
    expect(stats.lastOutcome('https://a.test/x')).toBeUndefined();
  });

  it('tells each listener every outcome until it unsubscribes', () => {
    const stats = new RequestStats();
    const seen: string[] = [];
    const stop = stats.subscribe((o) => seen.push(o.phase));
    stats.record(sized('hit', 1));
    stop();
    stats.record(sized('miss', 1));
    expect(seen).toEqual(['hit']);
  });
});

describe('RequestStats: a throwing listener', () => {
  it('neither fails the recording nor starves the other listeners', () => {
    const stats = new RequestStats();
    const seen: string[] = [];
    stats.subscribe(() => {
      throw new Error('closed');
    });
    stats.subscribe((o) => seen.push(o.phase));
    expect(() => stats.record(outcome('https://a.test/x', 'hit'))).not.toThrow();
    expect(seen).toEqual(['hit']);
  });
});
