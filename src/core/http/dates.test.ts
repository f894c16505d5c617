import { describe, expect, it } from 'vitest';
import { formatHttpDate, parseHttpDate, parseSingletonHttpDate } from './dates.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const SAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  it.each([
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'IMF-fixdate',
      value: 'Sun, 06 Nov 1994 08:49:37 GMT',
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'obsolete RFC 850 date',
      value: 'Sunday, 06-Nov-94 08:49:37 GMT',
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'obsolete asctime date',
      value: 'Sun Nov  6 08:49:37 1994',
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'asctime with a two-digit day',
      value: 'Sun Nov 16 08:49:37 1994',
      expected: Date.UTC(1994, 10, 16, 8, 49, 37),
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'surrounding whitespace',
      value: '  Sun, 06 Nov 1994 08:49:37 GMT ',
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'lowercase names (robust parsing)',
      value: 'sun, 06 nov 1994 08:49:37 gmt',
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'leap second',
      value: 'Sat, 31 Dec 2016 23:59:60 GMT',
      expected: Date.UTC(2017, 0, 1, 0, 0, 0),
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'rfc850 year 24 is 2024',
      value: 'Monday, 15-Jan-24 12:00:00 GMT',
      expected: NOW,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'rfc850 year 74 is 2074 (50 years ahead)',
      value: 'Monday, 01-Jan-74 00:00:00 GMT',
      expected: Date.UTC(2074, 0, 1),
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'rfc850 year 75 is 1975 (more than 50 years ahead)',
      value: 'Monday, 30-Jun-75 00:00:00 GMT',
      expected: Date.UTC(1975, 5, 30),
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'rfc850 year 99 is 1999',
      value: 'Friday, 31-Dec-99 23:59:59 GMT',
      expected: Date.UTC(1999, 11, 31, 23, 59, 59),
    },
    { rfc: 'RFC 9111 §5.3', name: '"0" is invalid', value: '0', expected: null },
    { rfc: 'RFC 9111 §5.3', name: '"-1" is invalid', value: '-1', expected: null },
    { rfc: 'RFC 9110 §5.6.7', name: 'empty', value: '', expected: null },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'ISO 8601 is not an HTTP-date',
      value: '1994-11-06T08:49:37Z',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'other time zone',
      value: 'Sun, 06 Nov 1994 08:49:37 PST',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'missing GMT',
      value: 'Sun, 06 Nov 1994 08:49:37',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'impossible day (30 Feb)',
      value: 'Fri, 30 Feb 2024 08:49:37 GMT',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'hour 24',
      value: 'Sun, 06 Nov 1994 24:00:00 GMT',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'minute 60',
      value: 'Sun, 06 Nov 1994 08:60:00 GMT',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'unknown month',
      value: 'Sun, 06 Foo 1994 08:49:37 GMT',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'two dates joined by a comma (repeated field)',
      value: 'Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:38 GMT',
      expected: null,
    },
    {
      rfc: 'RFC 9110 §5.6.7',
      name: 'one-digit day in IMF-fixdate',
      value: 'Sun, 6 Nov 1994 08:49:37 GMT',
      expected: null,
    },
  ])('$rfc: $name', ({ value, expected }) => {
    expect(parseHttpDate(value, NOW)).toBe(expected);
  });

  it.each([
    { rfc: 'RFC 9110 §5.6.7', value: null },
    { rfc: 'RFC 9110 §5.6.7', value: undefined },
  ])('$rfc: $value is null', ({ value }) => {
    expect(parseHttpDate(value, NOW)).toBeNull();
  });

  it.each([
    { rfc: 'RFC 9110 §5.6.7', time: SAMPLE, text: 'Sun, 06 Nov 1994 08:49:37 GMT' },
    { rfc: 'RFC 9110 §5.6.7', time: NOW, text: 'Mon, 15 Jan 2024 12:00:00 GMT' },
  ])('$rfc: formatHttpDate gives IMF-fixdate "$text" and parses back', ({ time, text }) => {
    expect(formatHttpDate(time)).toBe(text);
    expect(parseHttpDate(formatHttpDate(time), NOW)).toBe(time);
  });
});

describe('parseHttpDate: years 0000-0099 (found by dates.property.test.ts)', () => {
  it('reads a four-digit year below 100 as written, not as 19xx', () => {
    const year99 = new Date(0);
    year99.setUTCFullYear(99, 11, 31);
    year99.setUTCHours(23, 59, 59, 0);
    expect(parseHttpDate('Thu, 31 Dec 0099 23:59:59 GMT', NOW)).toBe(year99.getTime());
    expect(parseHttpDate(formatHttpDate(-59_011_459_200_001), NOW)).toBe(-59_011_459_201_000);
    expect(parseHttpDate('Tue, 29 Feb 0000 00:00:00 GMT', NOW)).toBe(-62_162_121_600_000);
  });
});

describe('parseSingletonHttpDate', () => {
  const IMF = 'Sun, 06 Nov 1994 08:49:37 GMT';
  it.each([
    { rfc: 'RFC 9110 §5.6.7', name: 'one date', value: IMF, expected: SAMPLE },
    {
      rfc: 'RFC 9111 §4.2.1',
      name: 'the same date twice',
      value: `${IMF}, ${IMF}`,
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      name: 'the same instant in two formats',
      value: `${IMF}, Sunday, 06-Nov-94 08:49:37 GMT, Sun Nov  6 08:49:37 1994`,
      expected: SAMPLE,
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      name: 'two different dates',
      value: `${IMF}, Mon, 07 Nov 1994 08:49:37 GMT`,
      expected: null,
    },
    { rfc: 'RFC 9111 §5.3', name: 'a date and garbage', value: `${IMF}, 0`, expected: null },
    { rfc: 'RFC 9111 §5.3', name: 'garbage', value: '0, 0', expected: null },
    { rfc: 'RFC 9110 §5.6.7', name: 'absent', value: null, expected: null },
  ])('$rfc: $name → $expected', ({ value, expected }) => {
    expect(parseSingletonHttpDate(value, NOW)).toBe(expected);
  });
});
