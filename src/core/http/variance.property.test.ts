import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { headerListFrom } from '../meta.ts';
import { normalizeVaryValue, varianceHash, varyHeaderNames } from './variance.ts';
import {
  checkProperty,
  fieldValue,
  headerName,
  PROPERTY_TIMEOUT_MS,
} from '../testing/arbitraries.ts';

/** A `Vary` value with random spacing and empty members. */
const varyText = fc
  .tuple(
    fc.array(fc.oneof(headerName, fc.constant('*')), { maxLength: 5 }),
    fc.constantFrom(',', ', ', ' ,\t', ',,'),
  )
  .map(([names, separator]) => names.join(separator));

const requestHeaders = fc
  .array(fc.tuple(headerName, fieldValue), { maxLength: 6 })
  .map((entries) => {
    const headers = new Headers();
    for (const [name, value] of entries) headers.append(name, value);
    return headers;
  });

/** Reorders a list by a permutation of keys. */
const shuffled = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

// Each test is the it/checkProperty frame around its own property; duplicates pairs the frames.
describe('Vary (properties)', () => {
  it(
    'varyHeaderNames never throws and gives sorted, unique, lowercase names or ["*"]',
    async () => {
      await checkProperty(
        fc.property(fc.oneof(varyText, fieldValue), (vary) => {
          const names = varyHeaderNames(new Headers({ vary }));
          assert.deepEqual(varyHeaderNames(headerListFrom(new Headers({ vary }))), names);
          if (names.includes('*')) return assert.deepEqual(names, ['*']);
          assert.deepEqual(names, [...new Set(names)].sort());
          for (const name of names) assert.ok(name !== '' && name === name.trim().toLowerCase());
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'varianceHash is deterministic and ignores the order and case of the names',
    async () => {
      await checkProperty(
        fc.property(
          fc
            .array(headerName, { minLength: 1, maxLength: 5 })
            .chain((names) =>
              fc.tuple(
                fc.constant(names),
                shuffled(names),
                fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
              ),
            ),
          requestHeaders,
          ([names, reordered, upper], headers) => {
            const recased = reordered.map((name, i) =>
              upper[i] ? name.toUpperCase() : name.toLowerCase(),
            );
            const hash = varianceHash(names, headers);
            assert.match(hash ?? '', /^[0-9a-f]{32}$/);
            assert.equal(varianceHash(names, headers), hash);
            assert.equal(varianceHash(recased, headers), hash);
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'varianceHash of other fields ignores whitespace around commas and at the ends, and nothing else',
    async () => {
      const items = fc.array(fc.stringMatching(/^[a-z0-9;=.]{1,6}$/), {
        minLength: 1,
        maxLength: 4,
      });
      const space = fc.constantFrom('', ' ', '\t', ' \t ');
      await checkProperty(
        fc.property(items, space, space, space, (values, before, after, edge) => {
          const tight = values.join(',');
          const loose = edge + values.join(`${before},${after}`) + edge;
          // A field without a list definition: only whitespace is normalised.
          const hash = (value: string): string | undefined =>
            varianceHash(['x-list'], new Headers({ 'x-list': value }));
          assert.equal(hash(loose), hash(tight));
          assert.equal(normalizeVaryValue(loose), tight);
          // A value that differs in more than whitespace hashes differently (case is kept).
          if (tight !== tight.toUpperCase())
            assert.notEqual(hash(tight.toUpperCase()), hash(tight));
          // Absent and empty differ (RFC 9111 §4.1).
          assert.notEqual(varianceHash(['x-list'], new Headers()), hash(''));
        }),
        2_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'varianceHash of a weighted list ignores its order, case and spacing, never its weights',
    async () => {
      const member = fc.tuple(
        fc.stringMatching(/^[a-z]{1,3}(-[a-z]{2})?$/),
        fc.constantFrom(1, 0.9, 0.5, 0),
      );
      const members = fc.uniqueArray(member, {
        minLength: 1,
        maxLength: 5,
        selector: ([range]) => range,
      });
      await checkProperty(
        fc.property(
          members.chain((list) => fc.tuple(fc.constant(list), shuffled(list))),
          fc.constantFrom('accept-language', 'accept-encoding', 'accept-charset'),
          ([list, reordered], field) => {
            const text = (items: typeof list, upper: boolean) =>
              items
                .map(
                  ([range, q]) =>
                    `${upper ? range.toUpperCase() : range}${q === 1 ? '' : ` ; q=${q}`}`,
                )
                .join(' , ');
            const hash = (value: string) => varianceHash([field], new Headers({ [field]: value }));
            assert.equal(hash(text(reordered, true)), hash(text(list, false)));
            // Changing one weight changes the variant.
            const [range, q] = list[0]!;
            const reweighted: typeof list = [[range, q === 1 ? 0.5 : 1], ...list.slice(1)];
            assert.notEqual(hash(text(reweighted, false)), hash(text(list, false)));
          },
        ),
        2_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
