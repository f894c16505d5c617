import { describe, expect, it } from 'vitest';
import { appendCacheStatus, formatCacheStatus } from './cache-status.ts';

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
