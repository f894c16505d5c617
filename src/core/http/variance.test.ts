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
      name: 'Accept: case of the media range is ignored',
      a: { accept: 'text/html' },
      b: { accept: 'TEXT/HTML' },
      same: true,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'Accept: order of equal weights is ignored',
      a: { accept: 'a/b, c/d' },
      b: { accept: 'c/d, a/b' },
      same: true,
    },
    {
      rfc: 'RFC 9110 §12.5.1',
      name: 'Accept: a parameter value keeps its case',
      a: { accept: 'text/html;level=A' },
      b: { accept: 'text/html; level=a' },
      same: false,
    },
    {
      rfc: 'RFC 9110 §12.4.2',
      name: 'Accept: different weights differ',
      a: { accept: 'a/b, c/d;q=0.5' },
      b: { accept: 'a/b;q=0.5, c/d' },
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
    { rfc: 'RFC 9111 §4.1', name: 'x-list', a: 'a, b', b: 'b, a', same: false },
    { rfc: 'RFC 9111 §4.1', name: 'x-list', a: 'a', b: 'A', same: false },
    { rfc: 'RFC 9110 §12.5.4', name: 'accept-language', a: 'en-US, fr', b: 'fr,en-us', same: true },
    {
      rfc: 'RFC 9110 §12.5.4',
      name: 'accept-language',
      a: 'fr;q=0.5, en;q=1.0',
      b: 'en,FR;Q=0.500',
      same: true,
    },
    {
      rfc: 'RFC 9110 §12.5.4',
      name: 'accept-language',
      a: 'en, fr;q=0.5',
      b: 'fr, en;q=0.5',
      same: false,
    },
    {
      rfc: 'RFC 9110 §12.5.3',
      name: 'accept-encoding',
      a: 'gzip, br, zstd',
      b: 'zstd,br , GZIP',
      same: true,
    },
    {
      rfc: 'RFC 9110 §12.5.3',
      name: 'accept-encoding',
      a: 'gzip, gzip;q=0',
      b: 'gzip',
      same: true,
    },
    {
      rfc: 'RFC 9111 §4.1',
      name: 'accept-language',
      a: 'en;q=2, fr',
      b: 'fr, en;q=2',
      same: false,
    },
  ])('$rfc: $name "$a" vs "$b" → same $same', ({ name, a, b, same }) => {
    expect(hash([name], { [name]: a }) === hash([name], { [name]: b })).toBe(same);
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

  it.each([
    {
      name: 'accept-language',
      value: 'de-CH, fr;q=0.9, EN;q=0.9, *;q=0.5',
      expected: 'de-ch,en;q=0.9,fr;q=0.9,*;q=0.5',
    },
    {
      name: 'accept',
      value: 'text/html;q=0.9, application/json',
      expected: 'application/json,text/html;q=0.9',
    },
    // Malformed: the whitespace rule only (an invalid qvalue is not guessed at).
    { name: 'accept-language', value: ' en;q=high , fr ', expected: 'en;q=high,fr' },
    { name: 'x-other', value: ' B , a ', expected: 'B,a' },
  ])(
    'RFC 9111 §4.1: normalizeVaryValue("$value", $name) → $expected',
    ({ name, value, expected }) => {
      expect(normalizeVaryValue(value, name)).toBe(expected);
    },
  );
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
