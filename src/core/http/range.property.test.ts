import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { ByteRange } from './range.ts';
import { MAX_RANGES, parseRange } from './range.ts';
import {
  checkProperty,
  mutated,
  noiseText,
  PROPERTY_TIMEOUT_MS,
  rangeText,
} from '../testing/arbitraries.ts';

const size = fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 200 }), fc.constant(2 ** 40));
const rangeValue = size.chain((n) =>
  fc.tuple(
    fc.oneof(rangeText(Math.min(n, 300)), mutated(rangeText(Math.min(n, 300))), noiseText),
    fc.constant(n),
  ),
);

/** The bytes `value` asks for in a body of `size` bytes, by a direct reading of §14.1.2. */
function requestedBytes(value: string, size: number): ByteRange[] {
  const specs = value.slice(value.indexOf('=') + 1).split(',');
  return specs.flatMap((raw) => {
    const spec = raw.trim();
    const suffix = /^-(\d+)$/.exec(spec);
    if (suffix) {
      const length = Number(suffix[1]);
      return length === 0 || size === 0
        ? []
        : [{ start: Math.max(0, size - length), end: size - 1 }];
    }
    const int = /^(\d+)-(\d*)$/.exec(spec);
    if (!int) return [];
    const start = Number(int[1]);
    const end = int[2] === '' ? size - 1 : Math.min(Number(int[2]), size - 1);
    return start < size ? [{ start, end }] : [];
  });
}

describe('parseRange (properties)', () => {
  it(
    'never throws; ranges are inside the body, ordered, disjoint, at most MAX_RANGES',
    async () => {
      await checkProperty(
        fc.property(rangeValue, ([value, n]) => {
          const spec = parseRange(value, n);
          if (spec.kind === 'none' || spec.kind === 'unsatisfiable') return;
          const ranges = spec.kind === 'single' ? [spec] : spec.ranges;
          assert.ok(spec.kind === 'single' || ranges.length >= 2, value);
          assert.ok(ranges.length <= MAX_RANGES, value);
          for (const { start, end } of ranges) {
            assert.ok(Number.isInteger(start) && Number.isInteger(end), value);
            assert.ok(start >= 0 && start <= end && end < n, `${value} (${n}): ${start}-${end}`);
          }
          // Coalesced: no two ranges overlap or touch.
          const byStart = [...ranges].sort((a, b) => a.start - b.start);
          for (let i = 1; i < byStart.length; i++) {
            assert.ok(byStart[i]!.start > byStart[i - 1]!.end + 1, `${value}: not coalesced`);
          }
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'covers exactly the requested bytes, in request order, and says unsatisfiable only when none overlap the body',
    async () => {
      await checkProperty(
        fc.property(
          size.chain((n) => fc.tuple(rangeText(Math.min(n, 300)), fc.constant(n))),
          ([value, n]) => {
            const spec = parseRange(value, n);
            if (spec.kind === 'none') return;
            const requested = requestedBytes(value, n);
            if (spec.kind === 'unsatisfiable') return assert.deepEqual(requested, [], value);
            assert.ok(requested.length > 0, value);
            const ranges =
              spec.kind === 'single' ? [{ start: spec.start, end: spec.end }] : spec.ranges;
            // Every requested byte is served and every served byte was requested.
            const covered = (at: number, list: readonly ByteRange[]): boolean =>
              list.some((r) => r.start <= at && at <= r.end);
            for (const r of requested) {
              for (const at of [r.start, r.end]) assert.ok(covered(at, ranges), `${value}: ${at}`);
            }
            for (const r of ranges) {
              for (const at of [r.start, r.end])
                assert.ok(covered(at, requested), `${value}: ${at}`);
            }
            // Parts go out in the order of the first request that asked for them (§15.3.7.2).
            const firstAsked = ranges.map((r) =>
              requested.findIndex((q) => q.start <= r.end && r.start <= q.end),
            );
            assert.deepEqual(
              firstAsked,
              [...firstAsked].sort((a, b) => a - b),
              value,
            );
          },
        ),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
