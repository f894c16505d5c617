import { describe, expect, it } from 'vitest';
import { outcomeChannelName, parseOutcomeEvent } from './outcome-events.ts';

const valid = {
  type: 'outcome',
  kind: 'hit',
  url: 'https://example.test/a',
  method: 'GET',
  status: 200,
  cacheStatus: 'sw-http-cache; hit; ttl=59',
  phase: 'hit',
  bytes: 14,
  clientId: 'c1',
  source: 'worker-1',
  time: 1_700_000_000_000,
};

describe('outcome events', () => {
  it('names the channel after the cache', () => {
    expect(outcomeChannelName('sw-http-cache')).toBe('sw-http-cache:outcomes');
  });

  it('accepts a well-formed outcome and drops extra fields', () => {
    expect(parseOutcomeEvent({ ...valid, extra: 1 })).toEqual(valid);
    expect(parseOutcomeEvent({ ...valid, cacheStatus: null, bytes: null })).toMatchObject({
      cacheStatus: null,
      bytes: null,
    });
  });

  it.each([
    ['not an object', 'outcome'],
    ['another type', { ...valid, type: 'stored' }],
    ['an unknown kind', { ...valid, kind: 'maybe' }],
    ['a negative status', { ...valid, status: -1 }],
    ['a fractional status', { ...valid, status: 200.5 }],
    ['a numeric cache status', { ...valid, cacheStatus: 1 }],
    ['negative bytes', { ...valid, bytes: -3 }],
    ['no source', { ...valid, source: '' }],
    ['an infinite time', { ...valid, time: Infinity }],
    ['a missing url', { ...valid, url: undefined }],
  ])('rejects %s', (_what, data) => {
    expect(parseOutcomeEvent(data)).toBeNull();
  });

  it('never throws, even on a hostile object', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(parseOutcomeEvent(hostile)).toBeNull();
  });
});
