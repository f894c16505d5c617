import { describe, expect, it } from 'vitest';
import { DEFAULT_PREDICTOR_CAPACITY, LruCacheablePredictor } from './predictor.ts';
import { NoCacheReason } from './phase.ts';
import { testKey } from './testing/fakes.ts';

const a = testKey('https://example.test/a');
const b = testKey('https://example.test/b');
const c = testKey('https://example.test/c');

describe('LruCacheablePredictor', () => {
  it('predicts cacheable for unknown keys', () => {
    expect(new LruCacheablePredictor().cacheablePrediction(a)).toBe(true);
  });

  it.each([
    NoCacheReason.OriginNotCache,
    NoCacheReason.ResponseTooLarge,
    'Custom:private-api' as const,
  ])('remembers keys that came back uncacheable for %s', (reason) => {
    const predictor = new LruCacheablePredictor();
    expect(predictor.markUncacheable(a, reason)).toBe(true);
    expect(predictor.cacheablePrediction(a)).toBe(false);
    expect(predictor.cacheablePrediction(b)).toBe(true);
  });

  // Listed again on purpose, independently of TRANSIENT_REASONS in predictor.ts.
  it.each([
    NoCacheReason.NeverEnabled,
    NoCacheReason.StorageError,
    NoCacheReason.InternalError,
    NoCacheReason.Deferred,
    NoCacheReason.CacheLockGiveUp,
    NoCacheReason.CacheLockTimeout,
  ])('does not remember the transient reason %s', (reason) => {
    const predictor = new LruCacheablePredictor();
    expect(predictor.markUncacheable(a, reason)).toBe(false);
    expect(predictor.cacheablePrediction(a)).toBe(true);
    expect(predictor.size).toBe(0);
  });

  it('skips custom reasons the caller excludes', () => {
    const predictor = new LruCacheablePredictor({ skipCustomReason: (r) => r === 'flaky' });
    expect(predictor.markUncacheable(a, 'Custom:flaky')).toBe(false);
    expect(predictor.markUncacheable(b, 'Custom:other')).toBe(true);
    expect(predictor.cacheablePrediction(a)).toBe(true);
    expect(predictor.cacheablePrediction(b)).toBe(false);
  });

  it('reports whether a mark is new', () => {
    const predictor = new LruCacheablePredictor();
    expect(predictor.markUncacheable(a, NoCacheReason.OriginNotCache)).toBe(true);
    expect(predictor.markUncacheable(a, NoCacheReason.OriginNotCache)).toBe(false);
  });

  it('forgets a key after a cacheable response and reports whether it was marked', () => {
    const predictor = new LruCacheablePredictor();
    expect(predictor.markCacheable(a)).toBe(true);
    predictor.markUncacheable(a, NoCacheReason.OriginNotCache);
    expect(predictor.markCacheable(a)).toBe(false);
    expect(predictor.cacheablePrediction(a)).toBe(true);
  });

  it('ignores the variance: a variant marks its whole URL', () => {
    const predictor = new LruCacheablePredictor();
    predictor.markUncacheable(testKey(a.primary, 'gzip'), NoCacheReason.OriginNotCache);
    expect(predictor.cacheablePrediction(a)).toBe(false);
    expect(predictor.cacheablePrediction(testKey(a.primary, 'br'))).toBe(false);
  });

  it('keeps namespaces apart', () => {
    const predictor = new LruCacheablePredictor();
    predictor.markUncacheable(a, NoCacheReason.OriginNotCache);
    expect(predictor.cacheablePrediction({ ...a, namespace: 'other' })).toBe(true);
  });

  it('forgets the least recently marked key beyond its capacity', () => {
    const predictor = new LruCacheablePredictor({ capacity: 2 });
    predictor.markUncacheable(a, NoCacheReason.OriginNotCache);
    predictor.markUncacheable(b, NoCacheReason.OriginNotCache);
    predictor.markUncacheable(a, NoCacheReason.OriginNotCache); // a is now the most recent
    predictor.markUncacheable(c, NoCacheReason.OriginNotCache);
    expect(predictor.size).toBe(2);
    expect(predictor.cacheablePrediction(b)).toBe(true);
    expect(predictor.cacheablePrediction(a)).toBe(false);
    expect(predictor.cacheablePrediction(c)).toBe(false);
  });

  it('defaults to 10,000 keys and rejects a capacity below one', () => {
    expect(new LruCacheablePredictor().capacity).toBe(DEFAULT_PREDICTOR_CAPACITY);
    expect(DEFAULT_PREDICTOR_CAPACITY).toBe(10_000);
    expect(() => new LruCacheablePredictor({ capacity: 0 })).toThrow(RangeError);
    expect(() => new LruCacheablePredictor({ capacity: 1.5 })).toThrow(RangeError);
  });
});
