/**
 * Range requests (RFC 9110 §14) answered from a stored full response: 206 with the requested
 * bytes and `Content-Range`, 416 when nothing fits, `If-Range` deciding between 206 and 200;
 * and an origin's own 206 passed through without ever being stored as the full body.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { expectedSliceSha256 } from './helpers/expected-slice.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { pageRequest } from './helpers/page-request.ts';
import type { Page } from '@playwright/test';

const SIZE = 1000;
const STORED = apiUrl('/api/resource', { size: SIZE, cc: 'max-age=60', etag: 'v1' });

/** Fetches the whole body once, so the cache holds it. */
async function storeWholeBody(page: Page): Promise<void> {
  const whole = await pageFetch(page, STORED, { as: 'sha256' });
  expect(whole.sha256).toBe(expectedSha256(STORED, SIZE));
  expect(parseCacheStatus(whole.headers['cache-status'])).toMatchObject({ stored: true });
}

const RANGES = [
  { range: 'bytes=10-19', start: 10, end: 20 },
  { range: 'bytes=990-', start: 990, end: SIZE },
  { range: 'bytes=-5', start: SIZE - 5, end: SIZE },
  { range: 'bytes=900-5000', start: 900, end: SIZE }, // the last position is clamped (§14.1.2)
];

for (const { range, start, end } of RANGES) {
  test(`Range: ${range} is a 206 with those bytes from the stored body`, async ({
    swPage,
    origin,
  }) => {
    await storeWholeBody(swPage);

    const partial = await pageFetch(swPage, STORED, {
      as: 'sha256',
      init: { headers: { range } },
    });

    expect(partial.status).toBe(206);
    expect(partial.headers['content-range']).toBe(`bytes ${start}-${end - 1}/${SIZE}`);
    expect(partial.headers['content-length']).toBe(String(end - start));
    expect(partial.bodySize).toBe(end - start);
    expect(partial.sha256).toBe(expectedSliceSha256(STORED, start, end));
    expect(partial.headers['etag']).toBe('"v1"');
    expect(parseCacheStatus(partial.headers['cache-status'])).toMatchObject({ hit: true });
    expect(partial.headers['age']).toMatch(/^\d+$/);
    expect(origin.count(STORED)).toBe(1);
  });
}

test('an unsatisfiable Range is a 416 with Content-Range: bytes */size', async ({
  swPage,
  origin,
}) => {
  await storeWholeBody(swPage);

  const unsatisfiable = await pageFetch(swPage, STORED, {
    init: { headers: { range: `bytes=${SIZE}-` } },
  });

  expect(unsatisfiable.status).toBe(416);
  expect(unsatisfiable.headers['content-range']).toBe(`bytes */${SIZE}`);
  expect(unsatisfiable.bodySize).toBe(0);
  expect(parseCacheStatus(unsatisfiable.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(STORED)).toBe(1);
});

test('If-Range matching the stored ETag gives the range, a mismatch the whole body', async ({
  swPage,
  origin,
}) => {
  await storeWholeBody(swPage);
  // `If-Range` makes a default-mode request `no-store` in browsers (as `If-None-Match` does,
  // see http-head-conditional.spec.ts); `force-cache` keeps it in the cache's hands.
  const withIfRange = (tag: string) =>
    pageRequest(
      swPage,
      STORED,
      { cache: 'force-cache', headers: { range: 'bytes=0-9', 'if-range': tag } },
      'sha256',
    );

  const matching = await withIfRange('"v1"');
  const mismatching = await withIfRange('"v0"');

  expect(matching.status).toBe(206);
  expect(matching.headers['content-range']).toBe(`bytes 0-9/${SIZE}`);
  expect(matching.sha256).toBe(expectedSliceSha256(STORED, 0, 10));
  expect(mismatching.status).toBe(200);
  expect(mismatching.headers['content-range']).toBeUndefined();
  expect(mismatching.sha256).toBe(expectedSha256(STORED, SIZE));
  for (const answer of [matching, mismatching]) {
    expect(parseCacheStatus(answer.headers['cache-status'])).toMatchObject({ hit: true });
  }
  expect(origin.count(STORED)).toBe(1);
});

test("the origin's own 206 is passed through and never stored as the full body", async ({
  swPage,
  origin,
}) => {
  // /api/partial always answers 206 (with max-age=60): only its status keeps it out of storage.
  const path = apiUrl('/api/partial', { size: SIZE });

  const partial = await pageFetch(swPage, path, {
    as: 'sha256',
    init: { headers: { range: 'bytes=100-199' } },
  });
  expect(origin.requests(path)[0]?.headers['range']).toBe('bytes=100-199');
  expect(partial.status).toBe(206);
  expect(partial.headers['content-range']).toBe(`bytes 100-199/${SIZE}`);
  expect(partial.sha256).toBe(expectedSliceSha256(path, 100, 200));
  expect(parseCacheStatus(partial.headers['cache-status'])).toMatchObject({
    hit: false,
    fwdStatus: 206,
    stored: false,
  });

  // Another range finds nothing stored, and the 206 taught the predictor nothing (no bypass):
  // it answered one range, not the resource.
  const again = await pageFetch(swPage, path, { init: { headers: { range: 'bytes=0-9' } } });
  expect(parseCacheStatus(again.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'uri-miss',
  });
  // Nor was it stored as the whole body: a request without Range goes to the origin too.
  const whole = await pageFetch(swPage, path);
  expect(parseCacheStatus(whole.headers['cache-status']).hit).toBe(false);
  expect(origin.count(path)).toBe(3);
});

test('a Range request on a miss stores the whole body the origin sends', async ({
  swPage,
  origin,
}) => {
  // /api/resource ignores Range and answers 200: the worker stores that, then serves ranges.
  const partialFirst = await pageFetch(swPage, STORED, {
    as: 'sha256',
    init: { headers: { range: 'bytes=0-9' } },
  });
  expect(partialFirst.status).toBe(200);
  expect(partialFirst.sha256).toBe(expectedSha256(STORED, SIZE));
  expect(parseCacheStatus(partialFirst.headers['cache-status'])).toMatchObject({ stored: true });

  const range = await pageFetch(swPage, STORED, {
    as: 'sha256',
    init: { headers: { range: 'bytes=0-9' } },
  });
  expect(range.status).toBe(206);
  expect(range.sha256).toBe(expectedSliceSha256(STORED, 0, 10));
  expect(origin.count(STORED)).toBe(1);
});
