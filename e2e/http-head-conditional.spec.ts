/**
 * HEAD answered from a stored GET (RFC 9110 §9.3.2) and updating it (RFC 9111 §4.3.5), and the
 * page's own conditional requests
 * answered by the cache (RFC 9111 §4.3.2; RFC 9110 §13.1.2, §13.1.3).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { pageRequest } from './helpers/page-request.ts';

const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';
const FRESH = apiUrl('/api/resource', { cc: 'max-age=60', etag: 'v1', lm: LAST_MODIFIED });

test('a HEAD request is answered from the stored GET, without a body or the origin', async ({
  swPage,
  origin,
}) => {
  const get = await pageFetch(swPage, FRESH);

  const head = await pageFetch(swPage, FRESH, { init: { method: 'HEAD' } });

  expect(head.status).toBe(200);
  expect(head.bodySize).toBe(0);
  expect(head.headers['etag']).toBe('"v1"');
  expect(head.headers['content-length']).toBe(String(get.bodySize));
  expect(parseCacheStatus(head.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.requests(FRESH).map((request) => request.method)).toEqual(['GET']);
});

test('a HEAD miss goes to the origin and stores nothing', async ({ swPage, origin }) => {
  const head = await pageFetch(swPage, FRESH, { init: { method: 'HEAD' } });
  expect(head.bodySize).toBe(0);
  expect(parseCacheStatus(head.headers['cache-status'])).toMatchObject({
    fwd: 'uri-miss',
    stored: false,
  });

  const get = await pageFetch(swPage, FRESH);
  expect(parseCacheStatus(get.headers['cache-status'])).toMatchObject({ fwd: 'uri-miss' });
  expect(origin.requests(FRESH).map((request) => request.method)).toEqual(['HEAD', 'GET']);
});

test("the page's If-None-Match matching a fresh entry gets a 304 from the cache", async ({
  swPage,
  origin,
}) => {
  await pageFetch(swPage, FRESH);

  const notModified = await pageFetch(swPage, FRESH, {
    init: { cache: 'force-cache', headers: { 'if-none-match': '"v0", W/"v1"' } },
  });

  expect(notModified.status).toBe(304);
  expect(notModified.bodySize).toBe(0);
  expect(notModified.headers['etag']).toBe('"v1"');
  expect(notModified.headers['cache-control']).toBe('max-age=60');
  expect(parseCacheStatus(notModified.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(FRESH)).toBe(1);
});

test("the page's If-None-Match not matching gets the full stored response", async ({
  swPage,
  origin,
}) => {
  const stored = await pageFetch(swPage, FRESH);

  const full = await pageFetch(swPage, FRESH, {
    init: { cache: 'force-cache', headers: { 'if-none-match': '"v0"' } },
  });

  expect(full.status).toBe(200);
  expect(full.bodyText).toBe(stored.bodyText);
  expect(parseCacheStatus(full.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(FRESH)).toBe(1);
});

test("the page's If-Modified-Since is answered from Last-Modified", async ({ swPage, origin }) => {
  await pageFetch(swPage, FRESH);
  const since = (date: string) =>
    pageFetch(swPage, FRESH, {
      init: { cache: 'force-cache', headers: { 'if-modified-since': date } },
    });

  const notModified = await since(LAST_MODIFIED);
  const modified = await since('Sun, 31 Dec 2023 00:00:00 GMT');

  expect(notModified.status).toBe(304);
  expect(parseCacheStatus(notModified.headers['cache-status'])).toMatchObject({ hit: true });
  expect(modified.status).toBe(200);
  expect(modified.bodyText).toBe(`origin response #1 for ${FRESH}`);
  expect(origin.count(FRESH)).toBe(1);
});

test("in the default cache mode the browser sends the page's conditional request past the cache", async ({
  swPage,
  origin,
  browserName,
}) => {
  // The Fetch standard turns a default-mode request with `If-None-Match` & co. into `no-store`
  // in "HTTP-network-or-cache fetch", after the service worker, so a worker should see
  // `default`. Browsers change it earlier: Firefox and WebKit hand the worker a mode that goes
  // past the cache (forwarded as is, `fwd=request`), Chromium a mode that refuses the stored
  // response (the worker revalidates). Either way the origin is asked and the page gets a
  // correct 304; the tests above use `force-cache`, which browsers leave alone, to reach the
  // cache's own answer.
  await pageFetch(swPage, FRESH);

  const notModified = await pageFetch(swPage, FRESH, {
    init: { headers: { 'if-none-match': '"v1"' } },
  });

  expect(notModified.status).toBe(304);
  expect(origin.count(FRESH)).toBe(2);
  expect(origin.requests(FRESH)[1]?.headers['if-none-match']).toBe('"v1"');
  expect(parseCacheStatus(notModified.headers['cache-status'])).toMatchObject(
    browserName === 'chromium' ? { fwd: 'stale', fwdStatus: 304 } : { fwd: 'request' },
  );
});

test('a HEAD answered 200 with the same validators updates the stored GET (RFC 9111 §4.3.5)', async ({
  swPage,
  origin,
}) => {
  const path = sequenceUrl([
    { cc: 'max-age=0', etag: 'v1', body: 'same', h: 'x-version:first' },
    { cc: 'max-age=60', etag: 'v1', body: 'same', h: 'x-version:second' },
  ]);
  const stored = await pageFetch(swPage, path);
  expect(stored.headers['x-version']).toBe('first');

  // A reload HEAD reaches the origin unconditionally; its 200 describes the stored GET.
  const head = await pageRequest(swPage, path, { method: 'HEAD', cache: 'reload' });
  expect(head.status).toBe(200);
  expect(head.headers['x-version']).toBe('second');

  const after = await pageFetch(swPage, path);
  expect(after.bodyText).toBe('same');
  expect(after.headers['x-version']).toBe('second');
  const status = parseCacheStatus(after.headers['cache-status']);
  expect(status.hit).toBe(true);
  expect(status.ttl).toBeGreaterThan(0);
  expect(origin.requests(path).map((request) => request.method)).toEqual(['GET', 'HEAD']);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBeUndefined();
});

test('a HEAD answered 200 with another ETag drops the stored GET', async ({ swPage, origin }) => {
  const path = sequenceUrl([
    { cc: 'max-age=60', etag: 'v1', body: 'old' },
    { cc: 'max-age=60', etag: 'v2', body: 'new' },
  ]);
  await pageFetch(swPage, path);
  await pageRequest(swPage, path, { method: 'HEAD', cache: 'reload' });
  const after = await pageFetch(swPage, path);
  expect(parseCacheStatus(after.headers['cache-status'])).toMatchObject({ fwd: 'uri-miss' });
  expect(after.bodyText).toBe('new');
  expect(origin.requests(path).map((request) => request.method)).toEqual(['GET', 'HEAD', 'GET']);
});
