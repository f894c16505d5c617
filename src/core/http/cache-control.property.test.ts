import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { CacheControl } from './cache-control.ts';
import { DELTA_SECONDS_MAX, parseCacheControl, splitDirectives } from './cache-control.ts';
import {
  cacheControlText,
  noiseText,
  checkProperty,
  deltaSecondsText,
  PROPERTY_TIMEOUT_MS,
  validMutatedOrNoise,
} from '../testing/arbitraries.ts';

// Written again on purpose: the oracle does not import the table it checks (DELTA_DIRECTIVES).
const DELTA_FIELDS = {
  'max-age': 'maxAge',
  's-maxage': 'sMaxAge',
  'max-stale': 'maxStale',
  'min-fresh': 'minFresh',
  'stale-while-revalidate': 'staleWhileRevalidate',
  'stale-if-error': 'staleIfError',
} as const;
type DeltaName = keyof typeof DELTA_FIELDS;
const DELTA_NAMES = Object.keys(DELTA_FIELDS) as DeltaName[];

const grammarBased = validMutatedOrNoise(cacheControlText);

/** The invariants every parse result keeps, whatever the input. */
function assertWellFormed(cc: CacheControl): void {
  for (const field of Object.values(DELTA_FIELDS)) {
    const value = cc[field];
    if (value === undefined || (field === 'maxStale' && value === Infinity)) continue;
    assert.ok(Number.isInteger(value) && value >= 0 && value <= DELTA_SECONDS_MAX, `${field}`);
  }
  for (const name of cc.noCacheFields) {
    assert.ok(name !== '' && name === name.trim().toLowerCase(), `no-cache field ${name}`);
  }
  assert.equal(new Set(cc.noCacheFields).size, cc.noCacheFields.length);
  assert.equal(new Set(cc.invalid).size, cc.invalid.length);
  for (const name of cc.invalid) assert.ok(DELTA_NAMES.includes(name as DeltaName), name);
  for (const flag of [cc.noCache, cc.noStore, cc.private, cc.public, cc.immutable]) {
    assert.equal(typeof flag, 'boolean');
  }
}

/** The documented resolution of a delta directive repeated with `values` (RFC 9111 §4.2.1). */
function expectedDelta(name: DeltaName, values: readonly number[]): number | undefined {
  return values.reduce<number | undefined>((previous, value) => {
    if (previous === undefined || previous === value) return value;
    if (name === 'min-fresh') return Math.max(previous, value);
    if (name === 'max-stale') return Math.min(previous, value);
    return 0;
  }, undefined);
}

// Each test is the it/checkProperty frame around its own property; duplicates pairs the frames.
describe('parseCacheControl (properties)', () => {
  it(
    'never throws and returns a well-formed result for noise and corrupted fields',
    async () => {
      await checkProperty(
        fc.property(fc.oneof(noiseText, grammarBased), (text) => {
          assertWellFormed(parseCacheControl(text));
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'resolves repeated delta directives as documented, and saturates at 2^31',
    async () => {
      const occurrence = fc.tuple(fc.constantFrom(...DELTA_NAMES), deltaSecondsText, fc.boolean());
      await checkProperty(
        fc.property(fc.array(occurrence, { maxLength: 8 }), (occurrences) => {
          const text = occurrences
            .map(([name, value, quoted]) => `${name}=${quoted ? `"${value}"` : value}`)
            .join(', ');
          const cc = parseCacheControl(text);
          for (const name of DELTA_NAMES) {
            // Unquoted arguments are trimmed (lenient spacing); quoted ones are taken as written.
            const written = occurrences
              .filter(([n]) => n === name)
              .map(([, value, quoted]) => (quoted ? value : value.trim()));
            const valid = written
              .filter((value) => /^\d+$/.test(value))
              .map((value) => Math.min(Number(value), DELTA_SECONDS_MAX));
            assert.equal(cc[DELTA_FIELDS[name]], expectedDelta(name, valid), `${name} in ${text}`);
            assert.equal(cc.invalid.includes(name), valid.length < written.length, text);
          }
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'reads directive names case-insensitively',
    async () => {
      await checkProperty(
        fc.property(grammarBased, (text) => {
          // Quoted no-cache field names are lowercased too, so the whole value may change case.
          assert.deepEqual(
            parseCacheControl(text.toUpperCase()),
            parseCacheControl(text.toLowerCase()),
          );
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'splitDirectives never yields an empty or untrimmed name',
    async () => {
      await checkProperty(
        fc.property(fc.oneof(noiseText, grammarBased), (text) => {
          for (const { name } of splitDirectives(text)) {
            assert.ok(name !== '' && name === name.trim().toLowerCase(), JSON.stringify(name));
          }
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
