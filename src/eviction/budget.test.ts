import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_MAX_ENTRIES,
  FALLBACK_BUDGET_BYTES,
  MAX_BUDGET_BYTES,
  MIN_BUDGET_BYTES,
  defaultBudget,
  estimateBudget,
} from './budget.ts';

const MiB = 1024 * 1024;

describe('defaultBudget', () => {
  it('takes half the quota', () => {
    expect(defaultBudget({ quota: 600 * MiB, usage: 10 })).toEqual({
      maxBytes: 300 * MiB,
      maxEntries: DEFAULT_MAX_ENTRIES,
    });
  });

  it('caps at 1 GiB and floors at 16 MiB', () => {
    expect(defaultBudget({ quota: 100 * 1024 * MiB }).maxBytes).toBe(MAX_BUDGET_BYTES);
    expect(defaultBudget({ quota: 4 * MiB }).maxBytes).toBe(MIN_BUDGET_BYTES);
  });

  it('rounds down to whole bytes', () => {
    expect(defaultBudget({ quota: 64 * MiB + 1 }).maxBytes).toBe(32 * MiB);
  });

  it('falls back to 100 MiB when the quota is unknown or unusable', () => {
    for (const estimate of [undefined, {}, { quota: 0 }, { quota: Number.NaN }, { quota: -1 }]) {
      expect(defaultBudget(estimate).maxBytes).toBe(FALLBACK_BUDGET_BYTES);
    }
    expect(defaultBudget({ quota: Number.POSITIVE_INFINITY }).maxBytes).toBe(FALLBACK_BUDGET_BYTES);
  });
});

describe('estimateBudget', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uses navigator.storage.estimate()', async () => {
    vi.stubGlobal('navigator', {
      storage: { estimate: () => Promise.resolve({ quota: 200 * MiB, usage: 0 }) },
    });
    expect((await estimateBudget()).maxBytes).toBe(100 * MiB);
  });

  it('falls back when the estimate rejects', async () => {
    vi.stubGlobal('navigator', {
      storage: { estimate: () => Promise.reject(new Error('denied')) },
    });
    expect((await estimateBudget()).maxBytes).toBe(FALLBACK_BUDGET_BYTES);
  });

  it('falls back without the storage API', async () => {
    vi.stubGlobal('navigator', {});
    expect((await estimateBudget()).maxBytes).toBe(FALLBACK_BUDGET_BYTES);
  });
});
