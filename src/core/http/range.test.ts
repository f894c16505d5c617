import { describe, expect, it } from 'vitest';
import type { HeaderList } from '../meta.ts';
import { ifRangeAllows, MAX_RANGES, parseRange, type RangeSpec } from './range.ts';

const none = (reason: string): RangeSpec => ({ kind: 'none', reason }) as RangeSpec;
const single = (start: number, end: number): RangeSpec => ({ kind: 'single', start, end });
const multi = (...ranges: [number, number][]): RangeSpec => ({
  kind: 'multi',
  ranges: ranges.map(([start, end]) => ({ start, end })),
});
const UNSATISFIABLE: RangeSpec = { kind: 'unsatisfiable' };

const manyRanges = (count: number): string =>
  `bytes=${Array.from({ length: count }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}`;

describe('parseRange', () => {
  it.each<{ rfc: string; value: string | null; size: number; expected: RangeSpec }>([
    // Absent and ignored fields: the full 200.
    { rfc: '§14.2 no Range', value: null, size: 100, expected: none('absent') },
    { rfc: '§14.2 unknown unit', value: 'items=0-5', size: 100, expected: none('unit') },
    { rfc: '§14.2 no "="', value: 'bytes 0-5', size: 100, expected: none('invalid') },
    { rfc: '§14.2 empty field', value: '', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 empty range-set', value: 'bytes=', size: 100, expected: none('invalid') },
    { rfc: '§5.6.1 only empty elements', value: 'bytes=, ,', size: 100, expected: none('invalid') },
    { rfc: '§14.1 space before "="', value: 'bytes =0-5', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 last < first', value: 'bytes=5-2', size: 100, expected: none('invalid') },
    {
      rfc: '§14.1.2 one invalid spec spoils the set',
      value: 'bytes=0-1,5-2',
      size: 100,
      expected: none('invalid'),
    },
    { rfc: '§14.1.2 bare "-"', value: 'bytes=-', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 sign', value: 'bytes=+1-2', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 negative', value: 'bytes=-1-2', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 space inside', value: 'bytes=0 - 5', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 not digits', value: 'bytes=a-b', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 decimals', value: 'bytes=1.5-2', size: 100, expected: none('invalid') },
    { rfc: '§14.1.2 three parts', value: 'bytes=0-1-2', size: 100, expected: none('invalid') },
    { rfc: '§5.6.2 unit not a token', value: 'by(tes=0-1', size: 100, expected: none('invalid') },

    // Single ranges.
    { rfc: '§14.1.2 int-range', value: 'bytes=0-9', size: 100, expected: single(0, 9) },
    {
      rfc: '§14.1 unit is case-insensitive',
      value: 'BYTES=0-9',
      size: 100,
      expected: single(0, 9),
    },
    { rfc: '§14.1 mixed-case unit', value: 'Bytes=10-19', size: 100, expected: single(10, 19) },
    { rfc: '§14.1.2 open-ended', value: 'bytes=90-', size: 100, expected: single(90, 99) },
    { rfc: '§14.1.2 from 0', value: 'bytes=0-', size: 100, expected: single(0, 99) },
    { rfc: '§14.1.2 one byte', value: 'bytes=5-5', size: 100, expected: single(5, 5) },
    { rfc: '§14.1.2 last byte', value: 'bytes=99-99', size: 100, expected: single(99, 99) },
    { rfc: '§14.1.2 last-pos clamped', value: 'bytes=50-500', size: 100, expected: single(50, 99) },
    { rfc: '§14.1.2 suffix', value: 'bytes=-10', size: 100, expected: single(90, 99) },
    { rfc: '§14.1.2 suffix > size', value: 'bytes=-500', size: 100, expected: single(0, 99) },
    { rfc: '§14.1.2 suffix = size', value: 'bytes=-100', size: 100, expected: single(0, 99) },
    { rfc: '§14.1.2 leading zeros', value: 'bytes=007-010', size: 100, expected: single(7, 10) },
    {
      rfc: '§14.1.2 huge last-pos clamps',
      value: 'bytes=1-99999999999999999999999999',
      size: 100,
      expected: single(1, 99),
    },
    {
      rfc: '§14.1.2 huge suffix is the whole body',
      value: `bytes=-${'9'.repeat(400)}`,
      size: 100,
      expected: single(0, 99),
    },
    { rfc: '§5.6.1 OWS around elements', value: 'bytes= 0-9 ', size: 100, expected: single(0, 9) },
    {
      rfc: '§5.6.1 empty list elements',
      value: 'bytes=,0-9,, ',
      size: 100,
      expected: single(0, 9),
    },
    { rfc: '§5.6 field OWS', value: '  bytes=0-9\t', size: 100, expected: single(0, 9) },

    // Unsatisfiable: 416.
    { rfc: '§14.1.2 first-pos = size', value: 'bytes=100-', size: 100, expected: UNSATISFIABLE },
    { rfc: '§14.1.2 first-pos > size', value: 'bytes=200-300', size: 100, expected: UNSATISFIABLE },
    { rfc: '§14.1.2 zero suffix', value: 'bytes=-0', size: 100, expected: UNSATISFIABLE },
    {
      rfc: '§14.1.2 huge first-pos',
      value: 'bytes=99999999999999999999999-',
      size: 100,
      expected: UNSATISFIABLE,
    },
    {
      rfc: '§14.1.2 exact digits: last < first past 2^53',
      value: 'bytes=9007199254740993-9007199254740992',
      size: 100,
      expected: none('invalid'),
    },
    {
      rfc: '§14.1.2 every spec unsatisfiable',
      value: 'bytes=100-,-0,150-160',
      size: 100,
      expected: UNSATISFIABLE,
    },
    { rfc: '§14.1.2 size 0, int-range', value: 'bytes=0-', size: 0, expected: UNSATISFIABLE },
    { rfc: '§14.1.2 size 0, zero suffix', value: 'bytes=-0', size: 0, expected: UNSATISFIABLE },
    { rfc: '§14.1.2 size 0, suffix', value: 'bytes=-5', size: 0, expected: none('empty') },

    // Several ranges.
    {
      rfc: '§14.1.2 two disjoint ranges',
      value: 'bytes=0-9,20-29',
      size: 100,
      expected: multi([0, 9], [20, 29]),
    },
    {
      rfc: '§15.3.7.2 parts keep request order',
      value: 'bytes=50-59, 0-9',
      size: 100,
      expected: multi([50, 59], [0, 9]),
    },
    {
      rfc: '§14.1.2 int and suffix ranges',
      value: 'bytes=0-0,-1',
      size: 100,
      expected: multi([0, 0], [99, 99]),
    },
    {
      rfc: '§15.3.7.2 unsatisfiable specs dropped',
      value: 'bytes=0-9,200-,30-39',
      size: 100,
      expected: multi([0, 9], [30, 39]),
    },
    {
      rfc: '§15.3.7.2 dropping leaves one → single',
      value: 'bytes=200-,30-39',
      size: 100,
      expected: single(30, 39),
    },
    {
      rfc: '§15.3.7.2 overlapping coalesced to single',
      value: 'bytes=0-10,5-20',
      size: 100,
      expected: single(0, 20),
    },
    {
      rfc: '§15.3.7.2 adjacent coalesced to single',
      value: 'bytes=0-9,10-19',
      size: 100,
      expected: single(0, 19),
    },
    {
      rfc: '§15.3.7.2 coalesced range takes earliest position',
      value: 'bytes=80-89,30-39,0-9,10-12',
      size: 100,
      expected: multi([80, 89], [30, 39], [0, 12]),
    },
    {
      rfc: '§15.3.7.2 suffix overlapping an open range',
      value: 'bytes=90-,-20,0-4',
      size: 100,
      expected: multi([80, 99], [0, 4]),
    },
    {
      rfc: '§15.3.7.2 repeated range',
      value: 'bytes=5-9,5-9',
      size: 100,
      expected: single(5, 9),
    },
    {
      rfc: `§17.15 ${MAX_RANGES} ranges accepted`,
      value: manyRanges(MAX_RANGES),
      size: 1000,
      expected: multi(
        ...Array.from({ length: MAX_RANGES }, (_, i): [number, number] => [i * 10, i * 10 + 1]),
      ),
    },
    {
      rfc: `§17.15 more than ${MAX_RANGES} ranges ignored`,
      value: manyRanges(MAX_RANGES + 1),
      size: 1000,
      expected: none('excessive'),
    },
    {
      rfc: '§17.15 too many ranges even if unsatisfiable',
      value: manyRanges(MAX_RANGES + 1),
      size: 1,
      expected: none('excessive'),
    },
    {
      rfc: '§17.15 more than two overlapping ranges ignored',
      value: 'bytes=0-10,5-15,8-20',
      size: 100,
      expected: none('excessive'),
    },
    {
      rfc: '§17.15 "bytes=0-,0-,0-" amplification ignored',
      value: 'bytes=0-,0-,0-',
      size: 100,
      expected: none('excessive'),
    },
  ])('$rfc: $value of $size bytes', ({ value, size, expected }) => {
    expect(parseRange(value, size)).toEqual(expected);
  });
});

const ETAG = '"v1"';
const LAST_MODIFIED = 'Tue, 15 Nov 1994 08:12:31 GMT';
const LATER_DATE = 'Tue, 15 Nov 1994 08:12:32 GMT';
const MINUTE_LATER = 'Tue, 15 Nov 1994 08:13:31 GMT';

function stored(
  validators: { etag?: string; lastModified?: string },
  date: string | null = 'Wed, 16 Nov 1994 00:00:00 GMT',
): { validators: typeof validators; headers: HeaderList } {
  return { validators, headers: date === null ? [] : [['date', date]] };
}

describe('ifRangeAllows', () => {
  const now = Date.UTC(2024, 0, 1);
  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each<{
    rfc: string;
    ifRange: string | null;
    meta: ReturnType<typeof stored>;
    expected: boolean;
  }>([
    { rfc: '§13.1.5 absent', ifRange: null, meta: stored({}), expected: true },
    { rfc: '§13.1.5 strong match', ifRange: '"v1"', meta: stored({ etag: ETAG }), expected: true },
    {
      rfc: '§13.1.5 OWS around the tag',
      ifRange: ' "v1" ',
      meta: stored({ etag: ETAG }),
      expected: true,
    },
    {
      rfc: '§13.1.5 other tag',
      ifRange: '"v2"',
      meta: stored({ etag: ETAG }),
      expected: false,
    },
    {
      rfc: '§8.8.3.2 weak request tag never matches',
      ifRange: 'W/"v1"',
      meta: stored({ etag: ETAG }),
      expected: false,
    },
    {
      rfc: '§8.8.3.2 weak stored tag never matches',
      ifRange: '"v1"',
      meta: stored({ etag: 'W/"v1"' }),
      expected: false,
    },
    { rfc: '§13.1.5 no stored ETag', ifRange: '"v1"', meta: stored({}), expected: false },
    {
      rfc: '§13.1.5 malformed tag',
      ifRange: '"v1',
      meta: stored({ etag: ETAG }),
      expected: false,
    },
    {
      rfc: '§13.1.5 a list is not an If-Range',
      ifRange: '"v1", "v2"',
      meta: stored({ etag: ETAG }),
      expected: false,
    },
    {
      rfc: '§13.1.5 date equals strong Last-Modified',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: LAST_MODIFIED }),
      expected: true,
    },
    {
      rfc: '§5.6.7 same instant in asctime form',
      ifRange: 'Tue Nov 15 08:12:31 1994',
      meta: stored({ lastModified: LAST_MODIFIED }),
      expected: true,
    },
    {
      rfc: '§13.1.5 date differs',
      ifRange: LATER_DATE,
      meta: stored({ lastModified: LAST_MODIFIED }),
      expected: false,
    },
    {
      rfc: '§8.8.2.2 Last-Modified within a second of Date is weak',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: LAST_MODIFIED }, LAST_MODIFIED),
      expected: false,
    },
    {
      rfc: '§8.8.2.2 a cache needs 60 s: Date one second later is not enough',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: LAST_MODIFIED }, LATER_DATE),
      expected: false,
    },
    {
      rfc: '§8.8.2.2 Date 60 seconds later makes it strong',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: LAST_MODIFIED }, MINUTE_LATER),
      expected: true,
    },
    {
      rfc: '§8.8.2.2 no stored Date: not known strong',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: LAST_MODIFIED }, null),
      expected: false,
    },
    {
      rfc: '§13.1.5 date without stored Last-Modified',
      ifRange: LAST_MODIFIED,
      meta: stored({ etag: ETAG }),
      expected: false,
    },
    {
      rfc: '§13.1.5 invalid date',
      ifRange: 'yesterday',
      meta: stored({ lastModified: LAST_MODIFIED }),
      expected: false,
    },
    {
      rfc: '§13.1.5 invalid stored Last-Modified',
      ifRange: LAST_MODIFIED,
      meta: stored({ lastModified: 'not a date' }),
      expected: false,
    },
    {
      rfc: '§13.1.5 empty field',
      ifRange: '',
      meta: stored({ etag: ETAG, lastModified: LAST_MODIFIED }),
      expected: false,
    },
    {
      rfc: '§13.1.5 a tag is not compared with Last-Modified',
      ifRange: '"v1"',
      meta: stored({ lastModified: LAST_MODIFIED }),
      expected: false,
    },
  ])('$rfc: If-Range $ifRange', ({ ifRange, meta, expected }) => {
    expect(ifRangeAllows(ifRange, meta, now)).toBe(expected);
  });
});
