/**
 * Revalidation (RFC 9111 §4.3): a stale entry is sent back to the origin with its validators;
 * a 304 freshens it (§4.3.4: body kept, headers merged), a 200 replaces it (§4.3.3), and an
 * answer that may not be stored is served once without bringing the old entry back.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';

const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

test('a stale entry with an ETag is revalidated with If-None-Match; the 304 freshens it and merges its headers', async ({
  swPage,
  origin,
}) => {
  // Stored stale (max-age=0); the origin's 304 makes it fresh for a minute and adds a header.
  const path = sequenceUrl([
    { cc: 'max-age=0', etag: 'v1', h: 'x-version:first' },
    { cc: 'max-age=60', etag: 'v1', h: 'x-version:second' },
  ]);

  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });
  expect(stored.headers['x-version']).toBe('first');

  const revalidated = await pageFetch(swPage, path);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
  expect(revalidated.status).toBe(200);
  expect(revalidated.bodyText).toBe(stored.bodyText);
  expect(revalidated.headers['x-version']).toBe('second');
  expect(revalidated.headers['x-origin-count']).toBe('2');
  const status = parseCacheStatus(revalidated.headers['cache-status']);
  expect(status).toMatchObject({ hit: false, fwd: 'stale', fwdStatus: 304 });
  expect(status.ttl).toBeGreaterThan(55);

  // Fresh again: a hit with the merged headers and the original body, no third origin request.
  const hit = await pageFetch(swPage, path);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.bodyText).toBe(`origin response #1 for ${path}`);
  expect(hit.headers['x-version']).toBe('second');
  expect(hit.headers['cache-control']).toBe('max-age=60');
  expect(origin.count(path)).toBe(2);
});

test('a stale entry with only Last-Modified is revalidated with If-Modified-Since', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=0', lm: LAST_MODIFIED });

  const stored = await pageFetch(swPage, path);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });

  const revalidated = await pageFetch(swPage, path);
  const conditional = origin.requests(path)[1];
  expect(conditional?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  expect(conditional?.headers['if-none-match']).toBeUndefined();
  expect(revalidated.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(revalidated.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
});

test('a 200 answer to a revalidation replaces the stored entry', async ({ swPage, origin }) => {
  const path = sequenceUrl([
    { cc: 'max-age=0', etag: 'v1' },
    { cc: 'max-age=60', etag: 'v2' },
  ]);

  const old = await pageFetch(swPage, path);
  const replaced = await pageFetch(swPage, path);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
  expect(replaced.bodyText).toBe(`origin response #2 for ${path}`);
  expect(parseCacheStatus(replaced.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 200,
    stored: true,
  });

  const hit = await pageFetch(swPage, path);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.bodyText).toBe(replaced.bodyText);
  expect(hit.bodyText).not.toBe(old.bodyText);
  expect(hit.headers['etag']).toBe('"v2"');
  expect(origin.count(path)).toBe(2);
});

test('an uncacheable answer to a revalidation is served, and the old entry is not served again', async ({
  swPage,
  origin,
}) => {
  const path = sequenceUrl([{ cc: 'max-age=0', etag: 'v1' }, { cc: 'no-store' }]);

  await pageFetch(swPage, path);
  const uncacheable = await pageFetch(swPage, path);
  expect(uncacheable.bodyText).toBe(`origin response #2 for ${path}`);
  expect(uncacheable.headers['cache-control']).toBe('no-store');
  expect(parseCacheStatus(uncacheable.headers['cache-status'])).toMatchObject({
    hit: false,
    fwdStatus: 200,
    stored: false,
  });

  const next = await pageFetch(swPage, path);
  expect(next.bodyText).toBe(`origin response #3 for ${path}`);
  expect(parseCacheStatus(next.headers['cache-status']).hit).toBe(false);
  expect(origin.count(path)).toBe(3);
});

test('a 304 that makes the entry uncacheable is served once, then the entry is gone', async ({
  swPage,
  origin,
}) => {
  // RFC 9111 §4.3.4: the merged headers now say no-store, so the stored response may not stay.
  const path = sequenceUrl([
    { cc: 'max-age=0', etag: 'v1' },
    { cc: 'no-store', etag: 'v1' },
  ]);

  const stored = await pageFetch(swPage, path);
  const merged = await pageFetch(swPage, path);
  expect(merged.bodyText).toBe(stored.bodyText);
  expect(merged.headers['cache-control']).toBe('no-store');
  expect(parseCacheStatus(merged.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
    stored: false,
  });

  // Nothing stored any more: the third request cannot be conditional.
  const next = await pageFetch(swPage, path);
  expect(origin.requests(path)[2]?.headers['if-none-match']).toBeUndefined();
  expect(next.bodyText).toBe(`origin response #3 for ${path}`);
});
