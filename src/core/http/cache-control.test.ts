import { describe, expect, it } from 'vitest';
import { toHeaders } from '../testing/headers.ts';
import {
  DELTA_SECONDS_MAX,
  parseCacheControl,
  parseDeltaSeconds,
  requestCacheControl,
  splitDirectives,
} from './cache-control.ts';

describe('parseCacheControl', () => {
  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    { rfc: 'RFC 9111 §5.2.2.1', value: 'max-age=60', expected: { maxAge: 60 } },
    {
      rfc: 'RFC 9111 §5.2',
      value: 'Max-Age=60, NO-CACHE',
      expected: { maxAge: 60, noCache: true },
    },
    { rfc: 'RFC 9111 §5.2', value: 'max-age="60"', expected: { maxAge: 60 } },
    { rfc: 'RFC 9111 §1.2.2', value: 'max-age=0060', expected: { maxAge: 60 } },
    {
      rfc: 'RFC 9111 §1.2.2',
      value: 'max-age=-5',
      expected: { maxAge: undefined, invalid: ['max-age'] },
    },
    {
      rfc: 'RFC 9111 §1.2.2',
      value: 'max-age=',
      expected: { maxAge: undefined, invalid: ['max-age'] },
    },
    {
      rfc: 'RFC 9111 §1.2.2',
      value: 'max-age',
      expected: { maxAge: undefined, invalid: ['max-age'] },
    },
    {
      rfc: 'RFC 9111 §1.2.2',
      value: 'max-age=1e3',
      expected: { maxAge: undefined, invalid: ['max-age'] },
    },
    {
      rfc: 'RFC 9111 §1.2.2',
      value: 'max-age=4294967296',
      expected: { maxAge: DELTA_SECONDS_MAX },
    },
    { rfc: 'RFC 9111 §4.2.1', value: 'max-age=60, max-age=30', expected: { maxAge: 0 } },
    { rfc: 'RFC 9111 §4.2.1', value: 'max-age=30, max-age=30', expected: { maxAge: 30 } },
    { rfc: 'RFC 9111 §4.2.1', value: 's-maxage=10, s-maxage=20', expected: { sMaxAge: 0 } },
    { rfc: 'RFC 9111 §4.2.1', value: 'max-stale=10, max-stale=20', expected: { maxStale: 10 } },
    { rfc: 'RFC 9111 §4.2.1', value: 'min-fresh=10, min-fresh=20', expected: { minFresh: 20 } },
    { rfc: 'RFC 9111 §5.2.1.2', value: 'max-stale', expected: { maxStale: Infinity } },
    { rfc: 'RFC 9111 §5.2.1.2', value: 'max-stale=30', expected: { maxStale: 30 } },
    { rfc: 'RFC 9111 §5.2.1.3', value: 'min-fresh=15', expected: { minFresh: 15 } },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      value: 'no-cache="Set-Cookie, X-Foo"',
      expected: { noCache: false, noCacheFields: ['set-cookie', 'x-foo'] },
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      value: 'no-cache=""',
      expected: { noCache: true, noCacheFields: [] },
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      value: 'no-cache, no-cache="x"',
      expected: { noCache: true, noCacheFields: ['x'] },
    },
    { rfc: 'RFC 9111 §5.2.2.7', value: 'private="set-cookie"', expected: { private: true } },
    {
      rfc: 'RFC 9111 §5.2.2',
      value: 'public, must-revalidate, proxy-revalidate, no-transform, must-understand, no-store',
      expected: {
        public: true,
        mustRevalidate: true,
        proxyRevalidate: true,
        noTransform: true,
        mustUnderstand: true,
        noStore: true,
      },
    },
    {
      rfc: 'RFC 8246 §2',
      value: 'max-age=31536000, immutable',
      expected: { maxAge: 31536000, immutable: true },
    },
    {
      rfc: 'RFC 5861 §3',
      value: 'stale-while-revalidate=30, stale-if-error=600',
      expected: { staleWhileRevalidate: 30, staleIfError: 600 },
    },
    { rfc: 'RFC 9111 §5.2.1.7', value: 'only-if-cached', expected: { onlyIfCached: true } },
    { rfc: 'RFC 9110 §5.6.1', value: ' , ,max-age=5 ,, ', expected: { maxAge: 5 } },
    { rfc: 'RFC 9111 §5.2.3', value: 'x-ext="a, b", max-age=7', expected: { maxAge: 7 } },
    {
      rfc: 'RFC 9110 §5.6.4',
      value: 'no-cache="a\\"b", max-age=1',
      expected: { noCacheFields: ['a"b'], maxAge: 1 },
    },
    {
      rfc: 'RFC 9110 §5.6.4',
      value: 'no-cache="unterminated, max-age=1',
      expected: { noCache: false, maxAge: undefined },
    },
    {
      rfc: 'RFC 9111 §5.2',
      value: '',
      expected: { maxAge: undefined, noCache: false, noStore: false },
    },
  ])('$rfc: "$value"', ({ value, expected }) => {
    const parsed: Record<string, unknown> = { ...parseCacheControl(value) };
    for (const [key, wanted] of Object.entries(expected)) expect(parsed[key], key).toEqual(wanted);
  });

  it('RFC 9111 §5.2: null gives every flag off', () => {
    expect(parseCacheControl(null)).toEqual({
      noCache: false,
      noCacheFields: [],
      noStore: false,
      noTransform: false,
      onlyIfCached: false,
      mustRevalidate: false,
      proxyRevalidate: false,
      mustUnderstand: false,
      private: false,
      public: false,
      immutable: false,
      invalid: [],
    });
  });
});

describe('splitDirectives and parseDeltaSeconds', () => {
  it.each([
    {
      rfc: 'RFC 9111 §5.2',
      value: 'a=1,b="x,y",c',
      expected: [
        { name: 'a', argument: '1' },
        { name: 'b', argument: 'x,y' },
        { name: 'c', argument: undefined },
      ],
    },
    { rfc: 'RFC 9111 §5.2', value: 'A = 1', expected: [{ name: 'a', argument: '1' }] },
  ])('$rfc: split "$value"', ({ value, expected }) => {
    expect(splitDirectives(value)).toEqual(expected);
  });

  it.each([
    { rfc: 'RFC 9111 §1.2.2', argument: '0', expected: 0 },
    { rfc: 'RFC 9111 §1.2.2', argument: '2147483648', expected: 2147483648 },
    { rfc: 'RFC 9111 §1.2.2', argument: '99999999999999999999', expected: 2147483648 },
    { rfc: 'RFC 9111 §1.2.2', argument: ' 5', expected: null },
    { rfc: 'RFC 9111 §1.2.2', argument: '+5', expected: null },
    { rfc: 'RFC 9111 §1.2.2', argument: undefined, expected: null },
  ])('$rfc: delta-seconds "$argument" → $expected', ({ argument, expected }) => {
    expect(parseDeltaSeconds(argument)).toBe(expected);
  });
});

describe('requestCacheControl', () => {
  it.each([
    { rfc: 'RFC 9111 §5.4', headers: { pragma: 'no-cache' }, noCache: true },
    { rfc: 'RFC 9111 §5.4', headers: { pragma: 'No-Cache, x=1' }, noCache: true },
    {
      rfc: 'RFC 9111 §5.4',
      headers: { pragma: 'no-cache', 'cache-control': 'max-age=10' },
      noCache: false,
    },
    { rfc: 'RFC 9111 §5.4', headers: { pragma: 'x-other' }, noCache: false },
    { rfc: 'RFC 9111 §5.2.1.4', headers: { 'cache-control': 'no-cache' }, noCache: true },
  ])('$rfc: $headers → no-cache $noCache', ({ headers, noCache }) => {
    expect(requestCacheControl(toHeaders(headers)).noCache).toBe(noCache);
  });
});

describe('parseCacheControl: inherited property names (found by cache-control.property.test.ts)', () => {
  it.each([
    '__proto__',
    '__proto__=5',
    'toString=1',
    'constructor',
    'hasOwnProperty=2, max-age=60',
  ])('%s is an unknown directive, ignored', (value) => {
    const cc = parseCacheControl(value);
    expect(cc.invalid).toEqual([]);
    expect(Object.keys(cc).sort()).toEqual(
      Object.keys(parseCacheControl(value.includes('max-age') ? 'max-age=60' : '')).sort(),
    );
  });
});
