import { describe, expect, it } from 'vitest';
import type { CacheMeta } from '../meta.ts';
import { testMeta } from '../testing/fakes.ts';
import {
  inPreferredLanguage,
  liveVariants,
  MAX_OFFERED_LENGTH,
  MAX_OFFERED_TAGS,
  offerVariantTags,
  preferredLanguageVariant,
  selectNotModified,
} from './variant-selection.ts';

/** A stored variant named `name`, stored at `time`, with entity tag `etag`. */
function variant(name: string, time: number, etag?: string, overrides: Partial<CacheMeta> = {}) {
  const meta = testMeta({
    created: time,
    responseTime: time,
    vary: ['accept-language'],
    validators: etag === undefined ? {} : { etag },
    ...overrides,
  });
  return { name, meta };
}

const names = (variants: readonly { name: string }[]) => variants.map(({ name }) => name);

describe('liveVariants', () => {
  it('drops variants older than the primary slot (its tombstone) and sorts newest first', () => {
    const primary = variant('primary', 100);
    const listed = [variant('old', 99), primary, variant('b', 300), variant('a', 200)];
    expect(names(liveVariants(listed, primary.meta))).toEqual(['b', 'a', 'primary']);
  });
});

describe('offerVariantTags (RFC 9111 §4.3.1)', () => {
  it('offers each well-formed tag once, in the order given, with the variants carrying one', () => {
    const offer = offerVariantTags([
      variant('c', 3, '"c"'),
      variant('none', 3),
      variant('b', 2, 'W/"b"'),
      variant('c again', 1, ' "c" '),
      variant('bad', 1, 'unquoted'),
      variant('a', 1, '"a"'),
    ]);
    expect(offer?.ifNoneMatch).toBe('"c", W/"b", "a"');
    expect(names(offer?.variants ?? [])).toEqual(['c', 'b', 'c again', 'a']);
  });

  it('offers nothing when no variant has a tag', () => {
    expect(offerVariantTags([variant('a', 1), variant('b', 1, 'bad')])).toBeUndefined();
    expect(offerVariantTags([])).toBeUndefined();
  });

  it(`offers at most ${MAX_OFFERED_TAGS} tags, the first ones given`, () => {
    const many = Array.from({ length: MAX_OFFERED_TAGS + 4 }, (_, i) =>
      variant(`v${i}`, 100 - i, `"${i}"`),
    );
    const offer = offerVariantTags(many);
    expect(offer?.ifNoneMatch.split(', ')).toHaveLength(MAX_OFFERED_TAGS);
    expect(names(offer?.variants ?? [])).toEqual(names(many.slice(0, MAX_OFFERED_TAGS)));
  });

  it(`keeps the value within ${MAX_OFFERED_LENGTH} characters, but always offers the first tag`, () => {
    const long = (fill: string) => `"${fill.repeat(MAX_OFFERED_LENGTH / 2)}"`;
    const huge = `"${'h'.repeat(MAX_OFFERED_LENGTH * 2)}"`;
    expect(offerVariantTags([variant('huge', 9, huge), variant('a', 1, '"a"')])).toEqual({
      ifNoneMatch: huge,
      variants: [expect.objectContaining({ name: 'huge' })],
    });
    const offer = offerVariantTags([
      variant('x', 9, long('x')),
      variant('y', 8, long('y')),
      variant('z', 7, '"z"'),
    ]);
    expect(names(offer?.variants ?? [])).toEqual(['x', 'z']);
    expect(offer!.ifNoneMatch.length).toBeLessThanOrEqual(MAX_OFFERED_LENGTH);
  });
});

describe('selectNotModified (RFC 9111 §4.3.4)', () => {
  const offered = [
    variant('c', 3, '"c"'),
    variant('b-new', 2, '"b"'),
    variant('b-old', 1, '"b"'),
    variant('w', 1, 'W/"w"'),
  ];
  const answer = (headers: Record<string, string>) =>
    selectNotModified(offered, new Headers(headers))?.name;

  it.each([
    { etag: '"b"', selected: 'b-new' },
    { etag: '"c"', selected: 'c' },
    { etag: 'W/"b"', selected: 'b-new' },
    // A strong tag never selects a weak one (strong comparison).
    { etag: '"w"', selected: undefined },
    { etag: 'W/"w"', selected: 'w' },
    { etag: '"other"', selected: undefined },
    { etag: 'garbage', selected: undefined },
  ])('a 304 with ETag $etag selects $selected (the newest match)', ({ etag, selected }) => {
    expect(answer({ etag })).toBe(selected);
  });

  it('a 304 without an ETag selects none of several variants', () => {
    expect(answer({})).toBeUndefined();
    expect(answer({ 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' })).toBeUndefined();
  });

  it('with one variant offered, as a revalidation: a validator-less 304 selects it', () => {
    const [only] = offered;
    expect(selectNotModified([only!], new Headers())).toBe(only);
    expect(selectNotModified([only!], new Headers({ etag: '"b"' }))).toBeUndefined();
    expect(selectNotModified([], new Headers({ etag: '"b"' }))).toBeUndefined();
  });
});

describe('preferredLanguageVariant (RFC 9111 §4.1)', () => {
  const inLanguage = (name: string, time: number, language: string, vary = ['accept-language']) =>
    variant(name, time, undefined, { vary, headers: [['content-language', language]] });
  const variants = [
    inLanguage('de', 4, 'de'),
    inLanguage('fr-other-vary', 3, 'fr', ['accept-language', 'accept-encoding']),
    inLanguage('fr', 2, 'fr'),
    inLanguage('en', 1, 'en'),
  ];

  it.each([
    { accept: 'fr, en;q=0.5', selected: 'fr' },
    { accept: 'en-GB, en;q=0.9', selected: undefined },
    { accept: 'en, fr', selected: 'fr' },
    { accept: 'it, de;q=0.2', selected: undefined },
    { accept: null, selected: undefined },
  ])('Accept-Language $accept selects $selected', ({ accept, selected }) => {
    expect(preferredLanguageVariant(variants, accept)?.name).toBe(selected);
  });

  it('only a response varying on Accept-Language alone qualifies', () => {
    expect(inPreferredLanguage(variants[1]!.meta, 'fr')).toBe(false);
    expect(inPreferredLanguage(variants[2]!.meta, 'fr')).toBe(true);
  });
});
