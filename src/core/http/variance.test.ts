import { describe, expect, it } from 'vitest';
import { varianceHash, varyHeaderNames, varyMatches, normalizeVaryValue } from './variance.ts';

describe('varyHeaderNames', () => {
  it.each([
    { rfc: 'RFC 9111 §4.1', vary: 'Accept-Encoding', names: ['accept-encoding'] },
    {
      rfc: 'RFC 9111 §4.1',
      vary: ' Accept-Language ,ACCEPT-encoding, accept-language',
      names: ['accept-encoding', 'accept-language'],
    },
    { rfc: 'RFC 9111 §4.1', vary: '*', names: ['*'] },
    { rfc: 'RFC 9111 §4.1', vary: 'accept, *', names: ['*'] },
    { rfc: 'RFC 9110 §5.6.1', vary: ' , ', names: [] },
    { rfc: 'RFC 9111 §4.1', vary: null, names: [] },
  ])('$rfc: "$vary" → $names', ({ vary, names }) => {
    const headers = new Headers(vary === null ? {} : { vary });
    expect(varyHeaderNames(headers)).toEqual(names);
    expect(varyHeaderNames([...headers])).toEqual(names);
  });
});

describe('varianceHash', () => {
  const hash = (names: string[], headers: Record<string, string> | [string, string][]) =>
    varianceHash(names, new Headers(headers));

  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    {
      rfc: 'RFC 9111 §4.1',
      name: 'whitespace around commas',
      a: { accept: 'a/b,c/d' },
      b: { accept: ' a/b , c/d ' },
      same: true,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'combined field lines',
      a: [
        ['accept', 'a/b'],
        ['accept', 'c/d'],
      ],
      b: { accept: 'a/b, c/d' },
      same: true,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'different values',
      a: { accept: 'a/b' },
      b: { accept: 'c/d' },
      same: false,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'case is kept (conservative)',
      a: { accept: 'text/html' },
      b: { accept: 'TEXT/HTML' },
      same: false,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'order is kept (conservative)',
      a: { accept: 'a/b, c/d' },
      b: { accept: 'c/d, a/b' },
      same: false,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'absent differs from empty',
      a: {},
      b: { accept: '' },
      same: false,
    },
    { rfc: 'RFC 9111 §4.1', name: 'absent matches absent', a: {}, b: { other: 'x' }, same: true },
  ])('$rfc: $name → same $same', ({ a, b, same }) => {
    const ha = hash(['accept'], a as unknown as Record<string, string>);
    const hb = hash(['accept'], b as unknown as Record<string, string>);
    expect(ha === hb).toBe(same);
  });

  it.each([
    { rfc: 'RFC 9111 §4.1', names: ['b', 'a'], other: ['a', 'b'], same: true },
    { rfc: 'RFC 9111 §4.1', names: ['A'], other: ['a'], same: true },
    { rfc: 'RFC 9111 §4.1', names: ['a'], other: ['a', 'b'], same: false },
  ])('$rfc: names $names vs $other → same $same', ({ names, other, same }) => {
    const headers = { a: '1', b: '2' };
    expect(hash(names, headers) === hash(other, headers)).toBe(same);
  });

  it('RFC 9111 §4.1: no Vary → no variance', () => {
    expect(hash([], { accept: 'x' })).toBeUndefined();
  });

  it('RFC 9111 §4.1: the hash is 32 hex characters and deterministic', () => {
    const value = hash(['accept'], { accept: 'x' });
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(hash(['accept'], { accept: 'x' })).toBe(value);
  });

  it.each([
    { rfc: 'RFC 9111 §4.1', value: '  a ,\tb  ', expected: 'a,b' },
    { rfc: 'RFC 9111 §4.1', value: null, expected: null },
  ])('$rfc: normalizeVaryValue("$value") → $expected', ({ value, expected }) => {
    expect(normalizeVaryValue(value)).toBe(expected);
  });
});

describe('varyMatches', () => {
  const request = new Headers({ 'accept-encoding': 'gzip' });
  it.each([
    { rfc: 'RFC 9111 §4.1', vary: [], variance: undefined, expected: true },
    { rfc: 'RFC 9111 §4.1', vary: ['*'], variance: varianceHash(['*'], request), expected: false },
    {
      rfc: 'RFC 9111 §4.1',
      vary: ['accept-encoding'],
      variance: varianceHash(['accept-encoding'], request),
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.1',
      vary: ['accept-encoding'],
      variance: varianceHash(['accept-encoding'], new Headers({ 'accept-encoding': 'br' })),
      expected: false,
    },
  ])('$rfc: vary $vary → $expected', ({ vary, variance, expected }) => {
    expect(varyMatches({ vary, variance }, request)).toBe(expected);
  });
});
