import { describe, expect, it } from 'vitest';
import type { HeaderList } from '../meta.ts';
import { currentAge, isFreshAt, ttl } from './age.ts';
import { ageValue, correctedInitialAge, freshnessLifetime } from './freshness.ts';
import { storedHeaders } from './stored-headers.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const DATE_NOW = 'Mon, 15 Jan 2024 12:00:00 GMT';
const TEN_DAYS_AGO = 'Fri, 05 Jan 2024 12:00:00 GMT';

describe('freshnessLifetime', () => {
  // A table, one case a row: the rows look alike by design (duplicates pairs them), and the
  // test names spell out each row's headers.
  it.each([
    {
      rfc: 'RFC 9111 §4.2.1',
      status: 200,
      headers: [['cache-control', 'max-age=60, s-maxage=5']],
      seconds: 60,
      source: 'max-age',
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      status: 200,
      headers: [
        ['cache-control', 'max-age=x'],
        ['expires', 'Mon, 15 Jan 2024 13:00:00 GMT'],
      ],
      seconds: 0,
      source: 'max-age',
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      status: 200,
      headers: [
        ['date', DATE_NOW],
        ['expires', 'Mon, 15 Jan 2024 12:10:00 GMT'],
      ],
      seconds: 600,
      source: 'expires',
    },
    {
      rfc: 'RFC 9111 §5.3',
      status: 200,
      headers: [['expires', 'never']],
      seconds: 0,
      source: 'expires',
    },
    {
      rfc: 'RFC 9111 §4.2.2',
      status: 200,
      headers: [
        ['date', DATE_NOW],
        ['last-modified', TEN_DAYS_AGO],
      ],
      seconds: 86400,
      source: 'heuristic',
    },
    {
      rfc: 'RFC 9111 §4.2.2',
      status: 203,
      headers: [
        ['date', DATE_NOW],
        ['last-modified', 'Mon, 15 Jan 2024 11:00:00 GMT'],
      ],
      seconds: 360,
      source: 'heuristic',
    },
    {
      rfc: 'RFC 9111 §4.2.2',
      status: 418,
      headers: [
        ['date', DATE_NOW],
        ['last-modified', TEN_DAYS_AGO],
      ],
      seconds: 0,
      source: 'none',
    },
    {
      rfc: 'RFC 9111 §4.2.2',
      status: 200,
      headers: [['date', DATE_NOW]],
      seconds: 0,
      source: 'none',
    },
    {
      rfc: 'RFC 9111 §4.2.2',
      status: 200,
      headers: [
        ['cache-control', 'no-cache'],
        ['last-modified', TEN_DAYS_AGO],
      ],
      seconds: 0,
      source: 'max-age',
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      status: 200,
      headers: [
        ['date', DATE_NOW],
        ['expires', 'Mon, 15 Jan 2024 12:10:00 GMT'],
        ['expires', 'Mon, 15 Jan 2024 12:10:00 GMT'],
      ],
      seconds: 600,
      source: 'expires',
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      status: 200,
      headers: [['expires', 'Mon, 15 Jan 2024 12:10:00 GMT, Mon, 15 Jan 2024 13:00:00 GMT']],
      seconds: 0,
      source: 'expires',
    },
    {
      rfc: 'RFC 9110 §6.6.1',
      status: 200,
      headers: [
        ['date', `${DATE_NOW}, Mon, 15 Jan 2024 11:00:00 GMT`],
        ['expires', 'Mon, 15 Jan 2024 12:10:00 GMT'],
      ],
      seconds: 600,
      source: 'expires',
    },
  ])('$rfc: $status $headers → $seconds s ($source)', ({ status, headers, seconds, source }) => {
    expect(freshnessLifetime(status, headers as unknown as HeaderList, NOW)).toEqual({
      seconds,
      source,
    });
  });

  it.each([
    { rfc: 'RFC 9111 §4.2.2', options: { heuristicFraction: 0.2 }, seconds: 86400 },
    { rfc: 'RFC 9111 §4.2.2', options: { heuristicCapSeconds: 3600 }, seconds: 3600 },
    {
      rfc: 'RFC 9111 §4.2.2',
      options: { heuristicFraction: 0.01, heuristicCapSeconds: 1e9 },
      seconds: 8640,
    },
  ])('$rfc: heuristic options $options → $seconds s', ({ options, seconds }) => {
    const headers: HeaderList = [
      ['date', DATE_NOW],
      ['last-modified', TEN_DAYS_AGO],
    ];
    expect(freshnessLifetime(200, headers, NOW, options).seconds).toBe(seconds);
  });
});

describe('age', () => {
  it.each([
    { rfc: 'RFC 9111 §4.2.3', headers: [], requestTime: NOW, age: 0 },
    { rfc: 'RFC 9111 §4.2.3', headers: [['age', '100']], requestTime: NOW - 500, age: 100.5 },
    {
      rfc: 'RFC 9111 §4.2.3',
      headers: [['date', 'Mon, 15 Jan 2024 11:58:00 GMT']],
      requestTime: NOW,
      age: 120,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      headers: [
        ['date', 'Mon, 15 Jan 2024 11:58:00 GMT'],
        ['age', '500'],
      ],
      requestTime: NOW,
      age: 500,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      headers: [['date', 'Mon, 15 Jan 2024 12:05:00 GMT']],
      requestTime: NOW - 1000,
      age: 1,
    },
    { rfc: 'RFC 9111 §1.2.2', headers: [['age', '99999999999']], requestTime: NOW, age: 2 ** 31 },
  ])('$rfc: corrected_initial_age of $headers → $age', ({ headers, requestTime, age }) => {
    expect(correctedInitialAge(headers as unknown as HeaderList, requestTime, NOW)).toBeCloseTo(
      age,
      6,
    );
  });

  it('RFC 9110 §6.6.1: the Date this cache adds at receipt, late in a second, makes no age', () => {
    const receivedAt = NOW + 950;
    const headers = storedHeaders([['cache-control', 'max-age=2']], receivedAt);
    expect(correctedInitialAge(headers, receivedAt, receivedAt)).toBe(0);
  });

  it('RFC 9111 §4.2.3: apparent age compares whole seconds, as Date has', () => {
    const headers: HeaderList = [['date', 'Mon, 15 Jan 2024 11:59:58 GMT']];
    expect(correctedInitialAge(headers, NOW + 999, NOW + 999)).toBe(2);
  });

  it.each([
    { rfc: 'RFC 9111 §5.1', value: '10', age: 10 },
    { rfc: 'RFC 9111 §5.1', value: '10, 20', age: 10 },
    { rfc: 'RFC 9111 §5.1', value: '0, 100000', age: 0 },
    { rfc: 'RFC 9111 §5.1', value: '100000, 0', age: 100000 },
    { rfc: 'RFC 9111 §5.1', value: '0, old', age: 0 },
    { rfc: 'RFC 9111 §5.1', value: 'old, 30', age: 0 },
    { rfc: 'RFC 9111 §5.1', value: '-3', age: 0 },
    { rfc: 'RFC 9111 §5.1', value: 'soon', age: 0 },
  ])('$rfc: age_value "$value" → $age', ({ value, age }) => {
    expect(ageValue([['age', value]])).toBe(age);
  });

  it('RFC 9111 §5.1: two Age lines use the first', () => {
    expect(
      ageValue([
        ['age', '5'],
        ['age', '500'],
      ]),
    ).toBe(5);
  });

  const meta = { initialAge: 10.7, responseTime: NOW, freshUntil: NOW + 49_300 };
  it.each([
    { rfc: 'RFC 9111 §5.1', now: NOW, age: 10, ttl: 49, fresh: true },
    { rfc: 'RFC 9111 §5.1', now: NOW + 30_000, age: 40, ttl: 19, fresh: true },
    { rfc: 'RFC 9111 §4.2', now: NOW + 49_300, age: 60, ttl: 0, fresh: false },
    { rfc: 'RFC 9211 §2.3', now: NOW + 60_000, age: 70, ttl: -11, fresh: false },
    { rfc: 'RFC 9111 §4.2.3', now: NOW - 5_000, age: 10, ttl: 54, fresh: true },
  ])(
    '$rfc: at +$now: Age $age, ttl $ttl, fresh $fresh',
    ({ now, age, ttl: expectedTtl, fresh }) => {
      expect(currentAge(meta, now)).toBe(age);
      expect(ttl(meta, now)).toBe(expectedTtl);
      expect(isFreshAt(meta, now)).toBe(fresh);
    },
  );
});
