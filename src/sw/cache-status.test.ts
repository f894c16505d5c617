import { describe, expect, it } from 'vitest';
import {
  appendCacheStatus,
  CacheStatusError,
  formatCacheStatus,
  ownCacheStatus,
  parseCacheStatusList,
} from './cache-status.ts';

describe('formatCacheStatus (RFC 9211)', () => {
  it.each([
    [{ hit: true, ttl: 42 }, 'sw-http-cache; hit; ttl=42'],
    [{ fwd: 'uri-miss', stored: true } as const, 'sw-http-cache; fwd=uri-miss; stored'],
    [
      { fwd: 'stale', fwdStatus: 304, ttl: 9.9 } as const,
      'sw-http-cache; fwd=stale; fwd-status=304; ttl=9',
    ],
    [
      { fwd: 'bypass', detail: 'OriginNotCache' } as const,
      'sw-http-cache; fwd=bypass; detail=OriginNotCache',
    ],
    [{ hit: true, detail: 'composition.memory' }, 'sw-http-cache; hit; detail=composition.memory'],
    [{ hit: true, collapsed: true, ttl: -3 }, 'sw-http-cache; hit; ttl=-3; collapsed'],
    [{ hit: true, key: 'a "b"\\c' }, 'sw-http-cache; hit; key="a \\"b\\"\\\\c"'],
    [{ fwd: 'miss', detail: 'has space' } as const, 'sw-http-cache; fwd=miss; detail="has space"'],
    [{ hit: true, key: 'caf\u00e9' }, 'sw-http-cache; hit; key="caf?"'],
  ])('%o → %s', (status, expected) => {
    expect(formatCacheStatus(status)).toBe(expected);
  });

  it('appends our member after the ones upstream caches added (RFC 9211 §2)', () => {
    expect(appendCacheStatus('OriginCache; hit', 'sw-http-cache; fwd=miss')).toBe(
      'OriginCache; hit, sw-http-cache; fwd=miss',
    );
    expect(appendCacheStatus(null, 'sw-http-cache; hit')).toBe('sw-http-cache; hit');
    expect(appendCacheStatus('  ', 'sw-http-cache; hit')).toBe('sw-http-cache; hit');
  });
});

describe('parseCacheStatusList and ownCacheStatus (RFC 9211 as an RFC 9651 List)', () => {
  it('round-trips a debug key holding commas, semicolons, quotes and backslashes', () => {
    const key = 'https://a.test/items?ids=1,2;x="q"\\path';
    const written = appendCacheStatus(
      'OriginCache; hit',
      formatCacheStatus({ fwd: 'uri-miss', stored: true, key }),
    );
    const members = parseCacheStatusList(written);
    expect(members.map((m) => m.cache)).toEqual(['OriginCache', 'sw-http-cache']);
    expect(members[1]).toMatchObject({ fwd: 'uri-miss', stored: true, hit: false, key });
    expect(ownCacheStatus(written)).toBe(formatCacheStatus({ fwd: 'uri-miss', stored: true, key }));
  });

  it('reads every field and keeps each parameter in its type', () => {
    const [member] = parseCacheStatusList(
      'sw-http-cache; fwd=stale; fwd-status=304; ttl=-3; collapsed; detail="a b"; x=?0; y=1.5',
    );
    expect(member).toEqual({
      cache: 'sw-http-cache',
      hit: false,
      fwd: 'stale',
      fwdStatus: 304,
      stored: false,
      collapsed: true,
      ttl: -3,
      key: undefined,
      detail: 'a b',
      params: {
        fwd: 'stale',
        'fwd-status': 304,
        ttl: -3,
        collapsed: true,
        detail: 'a b',
        x: false,
        y: 1.5,
      },
    });
  });

  it('has no member for a missing or empty header', () => {
    expect(parseCacheStatusList(null)).toEqual([]);
    expect(parseCacheStatusList('')).toEqual([]);
    expect(ownCacheStatus(null)).toBeNull();
    expect(ownCacheStatus('  ')).toBeNull();
  });

  it.each([
    ['an unterminated string', 'sw-http-cache; key="a,b'],
    ['a trailing comma', 'sw-http-cache; hit,'],
    ['an unquoted space in a value', 'sw-http-cache; detail=has space'],
    ['a parameter with an upper-case key', 'sw-http-cache; Hit'],
    ['a number as the cache name', '42; hit'],
    ['an inner list as a member', '(a b); hit'],
  ])('rejects %s with a CacheStatusError naming the value', (_, value) => {
    expect(() => parseCacheStatusList(value)).toThrow(CacheStatusError);
    expect(() => parseCacheStatusList(value)).toThrow(JSON.stringify(value));
    expect(ownCacheStatus(value)).toBeNull();
  });
});
