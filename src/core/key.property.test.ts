import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { normalizeUrl, variantHash } from './key.ts';
import { checkProperty, PROPERTY_TIMEOUT_MS, urlText } from './testing/arbitraries.ts';

const url = urlText.filter((text) => URL.canParse(text));

describe('cache keys (properties)', () => {
  it(
    'normalizeUrl is idempotent, drops the fragment and agrees with the WHATWG parser',
    async () => {
      await checkProperty(
        fc.property(url, fc.constantFrom('', '#', '#x', '#a/../b'), (text, fragment) => {
          const key = normalizeUrl(text);
          assert.equal(normalizeUrl(key), key, text);
          // Only the fragment differs (appended to the normalised form: raw input may end in
          // whitespace the parser trims, which a fragment after it would keep).
          assert.equal(normalizeUrl(key + fragment), key, text);
          const parsed = new URL(text);
          parsed.hash = '';
          assert.equal(key, parsed.href);
          assert.ok(!key.includes('#'), key);
          // No check that `.`/`..` are gone: Node 20's parser (Ada) keeps them after a segment
          // starting with `.` (`/b/.a/..` stays as is), where browsers give `/b/`.
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'variantHash is deterministic and separates namespaces: no collision in 100k keys',
    () => {
      const seen = new Map<string, string>();
      for (let i = 0; i < 100_000; i++) {
        const key = {
          namespace: `ns${i % 7}`,
          primary: `https://example.test/${Math.floor(i / 7)}`,
          variance: i % 3 === 0 ? `v${i}` : undefined,
        };
        const hash = variantHash(key);
        assert.equal(variantHash({ ...key }), hash);
        const id = `${key.namespace} ${key.primary} ${key.variance ?? ''}`;
        const previous = seen.get(hash);
        assert.ok(previous === undefined, `${id} collides with ${previous}`);
        seen.set(hash, id);
      }
    },
    PROPERTY_TIMEOUT_MS,
  );
});
