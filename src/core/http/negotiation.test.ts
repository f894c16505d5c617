import { describe, expect, it } from 'vitest';
import { canonicalWeightedList, parseWeightedList, prefersContentLanguage } from './negotiation.ts';

describe('parseWeightedList', () => {
  it.each([
    {
      rfc: 'RFC 9110 §12.4.2',
      value: 'en-US, fr;q=0.8, *;q=0.1',
      members: [
        { value: 'en-us', q: 1 },
        { value: 'fr', q: 0.8 },
        { value: '*', q: 0.1 },
      ],
    },
    { rfc: 'RFC 9110 §5.6.1', value: ' , en ,, ', members: [{ value: 'en', q: 1 }] },
    { rfc: 'RFC 9110 §12.4.2', value: 'en;q=1.000', members: [{ value: 'en', q: 1 }] },
    { rfc: 'RFC 9110 §12.4.2', value: 'en;q=1.5', members: null },
    { rfc: 'RFC 9110 §12.4.2', value: 'en;q=0.1234', members: null },
    { rfc: 'RFC 9110 §12.4.2', value: 'en;q', members: null },
    { rfc: 'RFC 9110 §5.6.2', value: 'e n', members: null },
  ])('$rfc: "$value"', ({ value, members }) => {
    expect(parseWeightedList('accept-language', value)).toEqual(members);
  });

  it('RFC 9110 §12.5.1: Accept keeps parameter values, lowercases names and ranges', () => {
    expect(parseWeightedList('accept', 'Text/HTML; Level=A; q=0.5')).toEqual([
      { value: 'text/html;level=A', q: 0.5 },
    ]);
  });
});

describe('canonicalWeightedList', () => {
  it.each([
    { name: 'Accept-Language', value: 'fr, EN', expected: 'en,fr' },
    { name: 'accept-encoding', value: 'br;q=0.5, gzip', expected: 'gzip,br;q=0.5' },
    { name: 'accept-encoding', value: 'gzip;q=0.000, br', expected: 'br,gzip;q=0' },
    { name: 'x-custom', value: 'fr, en', expected: null },
    { name: 'accept-language', value: 'fr;;', expected: null },
  ])('RFC 9111 §4.1: $name "$value" → $expected', ({ name, value, expected }) => {
    expect(canonicalWeightedList(name, value)).toBe(expected);
  });
});

describe('prefersContentLanguage', () => {
  it.each([
    { accept: 'fr, en;q=0.5', content: 'fr', selects: true },
    { accept: 'fr, en;q=0.5', content: 'en', selects: false },
    { accept: 'fr-CH, fr;q=0.9', content: 'fr-CH', selects: true },
    { accept: 'fr-CH, fr;q=0.9', content: 'fr', selects: false },
    // RFC 4647 §3.3.1: a range matches its longer tags.
    { accept: 'de', content: 'de-AT', selects: true },
    { accept: 'de-AT', content: 'de', selects: false },
    // Equal top weights: either language is a first choice.
    { accept: 'en, fr', content: 'FR', selects: true },
    // A more specific range excludes what a shorter one allows.
    { accept: 'en, en-GB;q=0', content: 'en-GB', selects: false },
    { accept: '*', content: 'en', selects: false },
    { accept: 'en;q=0', content: 'en', selects: false },
    { accept: 'fr;q=0.5', content: 'de, fr', selects: true },
    { accept: 'fr;q=2', content: 'fr', selects: false },
    { accept: null, content: 'fr', selects: false },
    { accept: 'fr', content: null, selects: false },
  ])(
    'RFC 9110 §12.5.4: Accept-Language "$accept", Content-Language "$content" → $selects',
    ({ accept, content, selects }) => {
      expect(prefersContentLanguage(accept, content)).toBe(selects);
    },
  );
});
