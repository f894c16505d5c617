import { describe, expect, it } from 'vitest';
import { chartPaths, StatsHistory, type StatsSample } from './history.ts';

const sample = (answers: number, hits: number, savedBytes?: number): StatsSample => ({
  time: answers,
  answers,
  hits,
  savedBytes,
});

describe('StatsHistory', () => {
  it('keeps the last samples', () => {
    const history = new StatsHistory(3);
    for (let i = 0; i < 5; i++) history.add(sample(i, 0));
    expect(history.samples.map((s) => s.answers)).toEqual([2, 3, 4]);
  });

  it('restarts when the counters go down (cleared, or a new worker)', () => {
    const history = new StatsHistory();
    history.add(sample(10, 5, 1000));
    history.add(sample(12, 6, 2000));
    history.add(sample(0, 0, 0));
    expect(history.samples).toEqual([sample(0, 0, 0)]);
  });
});

describe('chartPaths', () => {
  const box = { width: 100, height: 50 };

  it('draws the hit ratio of each interval, newest at the right', () => {
    // Intervals: 2 of 2 hits (100 %), then 0 of 2 (0 %).
    const paths = chartPaths([sample(0, 0), sample(2, 2), sample(4, 2)], box, 10);
    expect(paths.ratio).toBe('M85 0L95 50');
    expect(paths.bars).toBe('');
  });

  it('leaves a gap where an interval had no answers', () => {
    const paths = chartPaths([sample(0, 0), sample(1, 1), sample(1, 1), sample(2, 1)], box, 10);
    expect(paths.ratio).toBe('M75 0M95 50');
  });

  it('scales the byte bars to the largest interval', () => {
    const paths = chartPaths([sample(0, 0, 0), sample(1, 1, 100), sample(2, 2, 150)], box, 10);
    expect(paths.maxBytes).toBe(100);
    expect(paths.bars).toBe('M81.5 50v-50h7v50zM91.5 50v-25h7v25z');
  });

  it('draws nothing from fewer than two samples', () => {
    expect(chartPaths([sample(3, 1)], box)).toEqual({ ratio: '', bars: '', maxBytes: 0 });
  });
});
