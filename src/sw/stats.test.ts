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
