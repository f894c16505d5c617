import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { clearsCache, invalidatedUrls } from './invalidation.ts';
import {
  checkProperty,
  fieldValue,
  mutated,
  PROPERTY_TIMEOUT_MS,
  urlText,
} from '../testing/arbitraries.ts';

const headerSafe = (text: string): string => text.replace(/[\0\r\n]/g, '');
const targetUrl = urlText.filter((url) => URL.canParse(url));
const locationValue = fc.oneof(
  urlText,
  mutated(urlText),
  fc.constantFrom(
    '/a',
    '../b',
    '//other.test/x',
    'javascript:alert(1)',
    'data:,x',
    'https:other.test',
  ),
  fieldValue,
);

// Each test is the it/checkProperty frame around its own property; duplicates pairs the frames.
describe('invalidation (properties)', () => {
  it(
    'invalidatedUrls never throws and never names a URL of another origin',
    async () => {
      await checkProperty(
        fc.property(
          fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'GET', 'post'),
          targetUrl,
          fc.integer({ min: 100, max: 599 }),
          fc.option(locationValue, { nil: undefined }),
          fc.option(locationValue, { nil: undefined }),
          (method, target, status, location, contentLocation) => {
            const headers = new Headers();
            if (location !== undefined) headers.set('location', headerSafe(location));
            if (contentLocation !== undefined)
              headers.set('content-location', headerSafe(contentLocation));
            const urls = invalidatedUrls(method, target, status, headers);
            const origin = new URL(target).origin;
            for (const url of urls) {
              assert.equal(new URL(url).origin, origin, `${url} from ${target}`);
              assert.equal(new URL(url).hash, '', url);
            }
            if (status >= 400 || ['GET'].includes(method)) assert.deepEqual(urls, []);
          },
        ),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'clearsCache never throws, and is true exactly when a member is "cache" or "*"',
    async () => {
      const member = fc.oneof(
        fc.constantFrom('"cache"', '"*"', '"cookies"', '"storage"', 'cache', '*', '"CACHE"', ''),
        fieldValue.filter((v) => !v.includes(',')),
      );
      await checkProperty(
        fc.property(
          fc.array(member, { maxLength: 4 }),
          fc.constantFrom(',', ', ', ' , '),
          (members, separator) => {
            const value = headerSafe(members.join(separator));
            const expected = value.split(',').some((m) => ['"cache"', '"*"'].includes(m.trim()));
            assert.equal(clearsCache(new Headers({ 'clear-site-data': value })), expected, value);
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
