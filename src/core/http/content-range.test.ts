import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty, mutated, noiseText, PROPERTY_TIMEOUT_MS } from '../testing/arbitraries.ts';
import { bodyMatchesRange, parseContentRange, type ParsedContentRange } from './content-range.ts';

const ok = (start: number, end: number, length: number): ParsedContentRange => ({
  ok: true,
  start,
  end,
  length,
});
const bad = (problem: string): ParsedContentRange => ({ ok: false, problem }) as ParsedContentRange;

describe('parseContentRange', () => {
  it.each<{ rfc: string; value: string | null; expected: ParsedContentRange }>([
    { rfc: '§14.4 a range of a known length', value: 'bytes 0-99/1000', expected: ok(0, 99, 1000) },
    { rfc: '§14.4 the last byte', value: 'bytes 999-999/1000', expected: ok(999, 999, 1000) },
    { rfc: '§14.1 unit case-insensitive', value: 'BYTES 2-3/4', expected: ok(2, 3, 4) },
    { rfc: '§5.5 surrounding whitespace', value: ' bytes 2-3/4 ', expected: ok(2, 3, 4) },
    { rfc: 'no field', value: null, expected: bad('absent') },
    { rfc: '§14.4 unknown length', value: 'bytes 0-99/*', expected: bad('unknown-length') },
    {
      rfc: '§14.4 unsatisfied-range is a 416 field',
      value: 'bytes */1000',
      expected: bad('invalid'),
    },
    { rfc: '§14.4 last before first', value: 'bytes 5-2/10', expected: bad('invalid') },
    { rfc: '§14.4 last not inside the length', value: 'bytes 0-10/10', expected: bad('invalid') },
    { rfc: '§14.4 another unit', value: 'items 0-1/2', expected: bad('invalid') },
    { rfc: '§14.4 one SP, no "="', value: 'bytes=0-1/2', expected: bad('invalid') },
    { rfc: '§14.4 negative', value: 'bytes -1-2/3', expected: bad('invalid') },
    { rfc: '§14.4 decimals', value: 'bytes 0-1.5/3', expected: bad('invalid') },
    { rfc: 'past 2^53', value: 'bytes 0-1/99999999999999999999', expected: bad('invalid') },
    {
      rfc: '§14.4 a list is not a range',
      value: 'bytes 0-1/4, bytes 2-3/4',
      expected: bad('invalid'),
    },
  ])('$rfc: $value', ({ value, expected }) => {
    expect(parseContentRange(value)).toEqual(expected);
  });

  it('tells whether a body is exactly the range', () => {
    expect(bodyMatchesRange({ start: 10, end: 19 }, 10)).toBe(true);
    expect(bodyMatchesRange({ start: 10, end: 19 }, 9)).toBe(false);
    expect(bodyMatchesRange({ start: 10, end: 19 }, 11)).toBe(false);
  });
});

describe('parseContentRange (properties)', () => {
  const valid = fc
    .tuple(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }))
    .map(([a, b, c]) => [a, b, c].sort((x, y) => x - y) as [number, number, number])
    .map(([start, end, last]) => ({ start, end, length: last + 1 }));

  it(
    'reads back every range it could have written, and only ranges inside their length',
    async () => {
      await checkProperty(
        fc.property(valid, ({ start, end, length }) => {
          assert.deepEqual(
            parseContentRange(`bytes ${start}-${end}/${length}`),
            ok(start, end, length),
          );
        }),
        1000,
      );
      const text = valid.map(({ start, end, length }) => `bytes ${start}-${end}/${length}`);
      await checkProperty(
        fc.property(fc.oneof(mutated(text), noiseText), (value) => {
          const parsed = parseContentRange(value);
          if (!parsed.ok) return;
          assert.ok(Number.isSafeInteger(parsed.start) && parsed.start >= 0);
          assert.ok(parsed.start <= parsed.end && parsed.end < parsed.length);
        }),
        2000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
