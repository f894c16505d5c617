import fc from 'fast-check';
import { serializeBareItem, Token, type BareItem } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import {
  appendCacheStatus,
  CacheStatusError,
  formatCacheStatus,
  parseCacheStatusList,
  type CacheStatus,
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

  it('writes what structured-headers writes, for any name, key, detail and integers', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ maxLength: 12 }),
    );
    const status = fc.record(
      {
        hit: fc.boolean(),
        fwd: fc.constantFrom('bypass', 'uri-miss', 'vary-miss', 'miss', 'stale', 'request'),
        fwdStatus: fc.integer({ min: 100, max: 599 }),
        ttl: fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        stored: fc.boolean(),
        collapsed: fc.boolean(),
        key: text,
        detail: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(status, text, (s: CacheStatus, name) => {
        expect(formatCacheStatus(s, name)).toBe(reference(s, name));
      }),
    );
  });

  it('refuses an integer Structured Fields cannot carry', () => {
    expect(() => formatCacheStatus({ ttl: 1e16 })).toThrow(RangeError);
    expect(() => formatCacheStatus({ ttl: Infinity })).toThrow(RangeError);
    expect(formatCacheStatus({ ttl: -0.5 })).toBe('sw-http-cache; ttl=0');
  });

  it('appends our member after the ones upstream caches added (RFC 9211 §2)', () => {
    expect(appendCacheStatus('OriginCache; hit', 'sw-http-cache; fwd=miss')).toBe(
      'OriginCache; hit, sw-http-cache; fwd=miss',
    );
    expect(appendCacheStatus(null, 'sw-http-cache; hit')).toBe('sw-http-cache; hit');
    expect(appendCacheStatus('  ', 'sw-http-cache; hit')).toBe('sw-http-cache; hit');
  });
});

describe('parseCacheStatusList (RFC 9211 as an RFC 9651 List)', () => {
  it('round-trips a debug key holding commas, semicolons, quotes and backslashes', () => {
    const key = 'https://a.test/items?ids=1,2;x="q"\\path';
    const written = appendCacheStatus(
      'OriginCache; hit',
      formatCacheStatus({ fwd: 'uri-miss', stored: true, key }),
    );
    const members = parseCacheStatusList(written);
    expect(members.map((m) => m.cache)).toEqual(['OriginCache', 'sw-http-cache']);
    expect(members[1]).toMatchObject({ fwd: 'uri-miss', stored: true, hit: false, key });
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
  });
});

/** The member as `structured-headers` serialises it, spaces after `;` as the header is written. */
function reference(status: CacheStatus, name: string): string {
  const printable = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
  const tokenOrString = (value: string) =>
    /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(value) ? new Token(value) : printable(value);
  const params = new Map<string, BareItem>();
  if (status.hit) params.set('hit', true);
  if (status.fwd !== undefined) params.set('fwd', new Token(status.fwd));
  if (status.fwdStatus !== undefined) params.set('fwd-status', Math.trunc(status.fwdStatus));
  if (status.ttl !== undefined) params.set('ttl', Math.trunc(status.ttl) || 0);
  if (status.stored) params.set('stored', true);
  if (status.collapsed) params.set('collapsed', true);
  if (status.key !== undefined) params.set('key', printable(status.key));
  if (status.detail !== undefined) params.set('detail', tokenOrString(status.detail));
  const parts = [serializeBareItem(tokenOrString(name))];
  for (const [key, value] of params) {
    parts.push(value === true ? key : `${key}=${serializeBareItem(value)}`);
  }
  return parts.join('; ');
}
