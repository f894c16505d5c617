import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSpan,
  coversSpan,
  heldBytes,
  heldSpans,
  isComplete,
  missingSpans,
  validSpans,
  type ByteSpan,
  type ByteSpans,
} from './byte-spans.ts';
import { checkProperty, PROPERTY_TIMEOUT_MS } from './testing/arbitraries.ts';

const span = (start: number, end: number): ByteSpan => ({ start, end });
const setOf = (...spans: ByteSpan[]): ByteSpans => spans.reduce(addSpan, [] as ByteSpans);

describe('byte spans', () => {
  it('merges overlapping and adjacent pieces, keeps gaps', () => {
    expect(setOf(span(10, 20), span(0, 5))).toEqual([span(0, 5), span(10, 20)]);
    expect(setOf(span(0, 5), span(5, 10))).toEqual([span(0, 10)]);
    expect(setOf(span(0, 5), span(10, 20), span(3, 12))).toEqual([span(0, 20)]);
    expect(setOf(span(0, 5), span(6, 8))).toEqual([span(0, 5), span(6, 8)]);
    expect(setOf(span(4, 4))).toEqual([]);
  });

  it('names the missing and held parts of a range, and coverage', () => {
    const set = setOf(span(0, 10), span(20, 30));
    expect(missingSpans(set, span(5, 25))).toEqual([span(10, 20)]);
    expect(missingSpans(set, span(0, 40))).toEqual([span(10, 20), span(30, 40)]);
    expect(heldSpans(set, span(5, 25))).toEqual([span(5, 10), span(20, 25)]);
    expect(coversSpan(set, span(22, 30))).toBe(true);
    expect(coversSpan(set, span(9, 11))).toBe(false);
    expect(isComplete(set, 30)).toBe(false);
    expect(isComplete(setOf(span(0, 10), span(10, 30)), 30)).toBe(true);
    expect(heldBytes(set)).toBe(20);
  });

  it('accepts only a normal form within the length from storage', () => {
    expect(validSpans([span(0, 4), span(6, 8)], 8)).toEqual([span(0, 4), span(6, 8)]);
    expect(validSpans([span(0, 4), span(4, 8)], 8)).toBeNull(); // adjacent: not merged
    expect(validSpans([span(6, 8), span(0, 4)], 8)).toBeNull(); // unsorted
    expect(validSpans([span(0, 9)], 8)).toBeNull(); // past the length
    expect(validSpans([span(3, 3)], 8)).toBeNull(); // empty
    expect(validSpans([{ start: '0', end: 4 }], 8)).toBeNull();
    expect(validSpans('0-4', 8)).toBeNull();
  });
});

describe('byte spans (properties)', () => {
  const LENGTH = 64;
  const piece = fc
    .tuple(fc.nat({ max: LENGTH }), fc.nat({ max: LENGTH }))
    .map(([a, b]) => span(Math.min(a, b), Math.max(a, b)));

  /** The model: one flag per byte. */
  function model(pieces: readonly ByteSpan[]): boolean[] {
    const held = Array.from({ length: LENGTH }, () => false);
    for (const p of pieces) for (let i = p.start; i < p.end; i++) held[i] = true;
    return held;
  }

  it(
    'holds exactly the bytes of the pieces added, in normal form, whatever the order',
    async () => {
      await checkProperty(
        fc.property(fc.array(piece, { maxLength: 12 }), piece, (pieces, asked) => {
          const set = setOf(...pieces);
          assert.ok(validSpans(set, LENGTH) !== null, 'normal form');
          assert.deepEqual(setOf(...[...pieces].reverse()), set);
          const held = model(pieces);
          assert.equal(heldBytes(set), held.filter(Boolean).length);
          assert.equal(isComplete(set, LENGTH), held.every(Boolean));
          const inAsked = (i: number) => i >= asked.start && i < asked.end;
          const missing = model(missingSpans(set, asked));
          const kept = model(heldSpans(set, asked));
          for (let i = 0; i < LENGTH; i++) {
            assert.equal(missing[i], inAsked(i) && !held[i], `missing byte ${i}`);
            assert.equal(kept[i], inAsked(i) && held[i], `held byte ${i}`);
          }
          assert.equal(coversSpan(set, asked), !missing.some(Boolean));
        }),
        2000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
