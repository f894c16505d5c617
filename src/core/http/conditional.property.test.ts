import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { testMeta } from '../testing/fakes.ts';
import { isNotModified, parseEntityTag, parseEntityTagList } from './conditional.ts';
import {
  checkProperty,
  entityTagListText,
  entityTagText,
  httpDateField,
  noiseText,
  PROPERTY_TIMEOUT_MS,
  validMutatedOrNoise,
} from '../testing/arbitraries.ts';

const headerSafe = (text: string): string => text.replace(/[\0\r\n]/g, '');

describe('entity-tags (properties)', () => {
  it(
    'parseEntityTagList never throws and gives "*", null or well-formed tags',
    async () => {
      await checkProperty(
        fc.property(fc.oneof(noiseText, validMutatedOrNoise(entityTagListText)), (text) => {
          const list = parseEntityTagList(text);
          if (list === null || list === '*') return;
          assert.ok(list.length > 0);
          for (const tag of list) {
            assert.match(tag.opaque, /^"[^"]*"$/, text);
            assert.deepEqual(parseEntityTag(`${tag.weak ? 'W/' : ''}${tag.opaque}`), tag);
          }
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'parseEntityTagList reads back every tag of a list it was built from, in order',
    async () => {
      await checkProperty(
        fc.property(
          fc.array(entityTagText, { minLength: 1, maxLength: 5 }),
          fc.constantFrom(',', ', ', ' , ', ',\t,'),
          (tags, separator) => {
            const list = parseEntityTagList(tags.join(separator));
            assert.deepEqual(
              list,
              tags.map((tag) => parseEntityTag(tag)),
              tags.join(separator),
            );
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('isNotModified (properties)', () => {
  const conditional = fc.record(
    {
      'if-none-match': validMutatedOrNoise(entityTagListText).map(headerSafe),
      'if-modified-since': httpDateField.map(headerSafe),
    },
    { requiredKeys: [] },
  );
  const stored = fc.record({
    status: fc.constantFrom(200, 203, 204, 206, 301, 404, 500),
    etag: fc.option(entityTagText, { nil: undefined }),
    lastModified: fc.option(httpDateField.map(headerSafe), { nil: undefined }),
    date: fc.option(httpDateField.map(headerSafe), { nil: undefined }),
  });

  it(
    'never throws; only GET/HEAD of a stored 2xx; If-None-Match decides alone when present',
    async () => {
      await checkProperty(
        fc.property(
          fc.constantFrom('GET', 'head', 'POST', 'PUT'),
          conditional,
          stored,
          (method, fields, entry) => {
            const headers: [string, string][] = [];
            if (entry.lastModified !== undefined)
              headers.push(['last-modified', entry.lastModified]);
            if (entry.date !== undefined) headers.push(['date', entry.date]);
            const meta = testMeta({
              status: entry.status,
              headers,
              validators: { etag: entry.etag, lastModified: entry.lastModified },
            });
            const request = new Headers(fields);
            const answer = isNotModified(method, request, meta);
            const safe = ['GET', 'HEAD'].includes(method.toUpperCase());
            if (!safe || entry.status < 200 || entry.status > 299) assert.equal(answer, false);
            if (request.has('if-none-match')) {
              const withoutDate = new Headers(request);
              withoutDate.delete('if-modified-since');
              assert.equal(isNotModified(method, withoutDate, meta), answer);
            }
            if (answer && !request.has('if-none-match'))
              assert.ok(request.has('if-modified-since'));
          },
        ),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
