import { describe, expect, it } from 'vitest';
import { cacheEvent, eventChannelName, eventKey, parseCacheEvent } from './events.ts';

const valid = {
  type: 'evicted',
  keys: [
    { namespace: 'app', primary: 'https://example.test/a' },
    { namespace: 'app', primary: 'https://example.test/b', variance: 'abc' },
  ],
  source: 'worker-1',
  time: 1_700_000_000_000,
};

describe('cache events', () => {
  it('names the channel after the cache', () => {
    expect(eventChannelName('sw-http-cache')).toBe('sw-http-cache:events');
  });

  it('builds events with plain keys, dropping an undefined variance and extra fields', () => {
    const key = { namespace: 'n', primary: 'p', variance: undefined, extra: 1 };
    const event = cacheEvent('stored', [key], 'me', 5);
    expect(event).toEqual({
      type: 'stored',
      keys: [{ namespace: 'n', primary: 'p' }],
      source: 'me',
      time: 5,
    });
    expect('variance' in event.keys[0]!).toBe(false);
    expect(eventKey({ namespace: 'n', primary: 'p', variance: 'v' })).toEqual({
      namespace: 'n',
      primary: 'p',
      variance: 'v',
    });
  });

  it('parses every valid event type, and what cacheEvent builds', () => {
    for (const type of ['stored', 'updated', 'evicted', 'purged', 'cleared']) {
      expect(parseCacheEvent({ ...valid, type })?.type).toBe(type);
    }
    expect(parseCacheEvent({ ...valid, type: 'cleared', keys: [] })?.keys).toEqual([]);
    const built = cacheEvent('purged', [{ namespace: 'a', primary: 'b', variance: 'c' }], 's', 1);
    expect(parseCacheEvent(structuredClone(built))).toEqual(built);
  });

  it('keeps only the known fields', () => {
    const parsed = parseCacheEvent({
      ...valid,
      extra: 'x',
      keys: [{ namespace: 'a', primary: 'b', more: 1 }],
    });
    expect(parsed).toEqual({ ...valid, keys: [{ namespace: 'a', primary: 'b' }] });
  });

  it.each([
    ['null', null],
    ['a string', 'evicted'],
    ['a number', 42],
    ['an array', [valid]],
    ['an unknown type', { ...valid, type: 'deleted' }],
    ['a missing type', { ...valid, type: undefined }],
    ['keys not an array', { ...valid, keys: { 0: valid.keys[0] } }],
    ['a null key', { ...valid, keys: [null] }],
    ['a key without primary', { ...valid, keys: [{ namespace: 'a' }] }],
    ['a numeric namespace', { ...valid, keys: [{ namespace: 1, primary: 'b' }] }],
    ['a numeric variance', { ...valid, keys: [{ namespace: 'a', primary: 'b', variance: 2 }] }],
    ['a null variance', { ...valid, keys: [{ namespace: 'a', primary: 'b', variance: null }] }],
    ['an empty source', { ...valid, source: '' }],
    ['a numeric source', { ...valid, source: 7 }],
    ['a missing time', { ...valid, time: undefined }],
    ['a string time', { ...valid, time: '1' }],
    ['a NaN time', { ...valid, time: Number.NaN }],
    ['an infinite time', { ...valid, time: Number.POSITIVE_INFINITY }],
  ])('rejects %s', (_name, data) => {
    expect(parseCacheEvent(data)).toBeNull();
  });

  it('never throws, even on hostile objects', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(parseCacheEvent(throwing)).toBeNull();
    const getter = Object.defineProperty({ ...valid }, 'time', {
      get() {
        throw new Error('boom');
      },
    });
    expect(parseCacheEvent(getter)).toBeNull();
  });
});
