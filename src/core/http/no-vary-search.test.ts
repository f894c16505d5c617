import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEARCH_VARIANCE,
  equivalentModuloSearchVariance,
  parseNoVarySearch,
  significantQuery,
} from './no-vary-search.ts';

describe('parseNoVarySearch', () => {
  it.each([
    { value: 'params', expected: { noVary: '*', vary: [], varyOnKeyOrder: true } },
    { value: 'params=?1', expected: { noVary: '*', vary: [], varyOnKeyOrder: true } },
    { value: 'params=("a" "b")', expected: { noVary: ['a', 'b'], vary: [], varyOnKeyOrder: true } },
    {
      value: 'params, except=("x")',
      expected: { noVary: '*', vary: ['x'], varyOnKeyOrder: true },
    },
    {
      value: 'params, key-order, except=("x")',
      expected: { noVary: '*', vary: ['x'], varyOnKeyOrder: false },
    },
    { value: 'key-order', expected: { noVary: [], vary: [], varyOnKeyOrder: false } },
    { value: 'key-order=?1', expected: { noVary: [], vary: [], varyOnKeyOrder: false } },
    // The draft's "parse a key": `+` is a space, then percent-decoding.
    {
      value: 'params=("%C3%A9+%E6%B0%97")',
      expected: { noVary: ['é 気'], vary: [], varyOnKeyOrder: true },
    },
    // Unknown keys are ignored (kept for extensions).
    {
      value: 'key-order, future-thing=1',
      expected: { noVary: [], vary: [], varyOnKeyOrder: false },
    },
  ])('draft §4.1: "$value"', ({ value, expected }) => {
    expect(parseNoVarySearch(value)).toEqual(expected);
  });

  it.each([
    'unknown-key',
    'key-order="not a boolean"',
    'params="not a boolean or inner list"',
    'params=(not-a-string)',
    'params=("a"), except=("x")',
    'params=(), except=()',
    'params=?0, except=("x")',
    'params, except=(not-a-string)',
    'params, except="not an inner list"',
    'params, except=?1',
    'except=("x")',
    'except=()',
    'params=?0',
    'params=()',
    'key-order=?0',
    // Not a Structured Field dictionary at all.
    'params=("a"',
    'Params',
    '"a"',
    '',
  ])('draft §4.1: "%s" → the default (exact matching)', (value) => {
    expect(parseNoVarySearch(value)).toEqual(DEFAULT_SEARCH_VARIANCE);
  });

  it('draft §4.2: no header → the default', () => {
    expect(parseNoVarySearch(null)).toEqual(DEFAULT_SEARCH_VARIANCE);
  });
});

describe('equivalentModuloSearchVariance', () => {
  const base = 'https://example.com/p';
  it.each([
    { nvs: 'key-order', a: '?a=1&b=2', b: '?b=2&a=1', same: true },
    { nvs: 'key-order', a: '?a=1&b=2', b: '?b=2&a=2', same: false },
    { nvs: 'params=("utm")', a: '?id=1&utm=x', b: '?id=1', same: true },
    { nvs: 'params=("utm")', a: '?id=1&x=2&utm=x', b: '?x=2&utm=x&id=1', same: false },
    { nvs: 'params=("utm"), key-order', a: '?utm=x&id=1', b: '?id=1&utm=y', same: true },
    { nvs: 'params', a: '?a=1', b: '?b=2', same: true },
    { nvs: 'params, except=("id")', a: '?id=1&x=1', b: '?x=2&id=1', same: true },
    { nvs: 'params, except=("id")', a: '?id=1', b: '?id=2', same: false },
    // Form decoding: `+` and `%20` are one space, `?a` and `?a=` one empty value.
    { nvs: 'key-order', a: '?a=%20', b: '?a=+', same: true },
    { nvs: 'key-order', a: '?a', b: '?a=', same: true },
    { nvs: 'key-order', a: '', b: '?', same: true },
    // Default variance: the query must be identical, even `?` against none.
    { nvs: null, a: '?a=1&b=2', b: '?b=2&a=1', same: false },
    { nvs: null, a: '', b: '?', same: false },
    { nvs: 'params=(bad)', a: '?a=1', b: '?a=1', same: true },
    { nvs: 'params=(bad)', a: '?a=1', b: '?a=1&utm=1', same: false },
  ])('draft §5: $nvs: "$a" vs "$b" → $same', ({ nvs, a, b, same }) => {
    expect(equivalentModuloSearchVariance(base + a, base + b, parseNoVarySearch(nvs))).toBe(same);
  });

  it('draft §5: another path, host or scheme is never equivalent', () => {
    const variance = parseNoVarySearch('params');
    expect(
      equivalentModuloSearchVariance('https://a.test/p?x', 'https://a.test/q?x', variance),
    ).toBe(false);
    expect(equivalentModuloSearchVariance('https://a.test/p', 'https://b.test/p', variance)).toBe(
      false,
    );
    expect(equivalentModuloSearchVariance('http://a.test/p', 'https://a.test/p', variance)).toBe(
      false,
    );
  });

  it('significantQuery drops ignored names and sorts only when key order does not matter', () => {
    const url = new URL('https://a.test/p?b=2&utm=1&a=1');
    expect(significantQuery(url, parseNoVarySearch('params=("utm")'))).toBe('b=2&a=1');
    expect(significantQuery(url, parseNoVarySearch('params=("utm"), key-order'))).toBe('a=1&b=2');
    expect(significantQuery(url, DEFAULT_SEARCH_VARIANCE)).toBeNull();
  });
});
