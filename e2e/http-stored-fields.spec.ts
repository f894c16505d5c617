/**
 * What is stored and how list-valued fields count: hop-by-hop fields are neither stored nor
 * replayed (RFC 9111 §3.1); a list-valued `Age` uses its first member (§5.1); a repeated
 * directive with conflicting values, or several different `Expires`, make the response stale
 * (§4.2.1).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('hop-by-hop fields and the fields Connection names are not replayed from the cache', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', {
    cc: 'max-age=60',
    h: ['connection:keep-alive, X-Hop', 'x-hop:1', 'keep-alive:timeout=5', 'x-kept:yes'],
  });
  const first = await pageFetch(swPage, path);
  expect(first.headers['x-kept']).toBe('yes');
  expect(first.headers['x-hop']).toBe('1');
  expect(first.headers['keep-alive']).toBe('timeout=5');
  // The network answer carries them (every engine shows them to the worker); the stored copy not.
  const hit = await pageFetch(swPage, path);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.headers['x-kept']).toBe('yes');
  expect(hit.headers['x-hop']).toBeUndefined();
  expect(hit.headers['keep-alive']).toBeUndefined();
  expect(hit.headers['connection']).toBeUndefined();
  expect(origin.count(path)).toBe(1);
});

test('a chunked response is stored and replayed without Transfer-Encoding', async ({
  swPage,
  origin,
}) => {
  // No Content-Length: Node sends `Transfer-Encoding: chunked`, which the worker sees.
  const path = apiUrl('/api/big', { size: 3000, length: 0, id: 'chunked' });
  const first = await pageFetch(swPage, path, { as: 'sha256' });
  const hit = await pageFetch(swPage, path, { as: 'sha256' });
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.headers['transfer-encoding']).toBeUndefined();
  expect(hit.bodySize).toBe(3000);
  expect(hit.sha256).toBe(first.sha256);
  expect(origin.count(path)).toBe(1);
});

test('a list-valued Age uses its first member: Age "0, 100000" with max-age=60 is fresh', async ({
  swPage,
  origin,
}) => {
  const fresh = apiUrl('/api/resource', { cc: 'max-age=60', h: ['age:0', 'age:100000'] });
  await pageFetch(swPage, fresh);
  const hit = await pageFetch(swPage, fresh);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(Number(hit.headers['age'])).toBeLessThan(60);
  expect(origin.count(fresh)).toBe(1);

  const stale = apiUrl('/api/resource', { cc: 'max-age=60', etag: 'v1', age: '100000, 0' });
  await pageFetch(swPage, stale);
  const revalidated = await pageFetch(swPage, stale);
  expect(parseCacheStatus(revalidated.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
  expect(origin.requests(stale)[1]?.headers['if-none-match']).toBe('"v1"');
});

test('conflicting repeated max-age (max-age=1800, max-age=1) is stale: revalidated', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=1800, max-age=1', etag: 'v1' });
  await pageFetch(swPage, path);
  const second = await pageFetch(swPage, path);
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
  expect(origin.count(path)).toBe(2);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
});

test('two different Expires values are stale: revalidated; two equal ones count as one', async ({
  swPage,
  origin,
}) => {
  // `expires` is relative seconds on the origin's clock; an `h=expires:` line is a second one.
  const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
  const conflicting = apiUrl('/api/resource', {
    expires: 3_600,
    h: 'expires:Thu, 01 Jan 2099 00:00:00 GMT',
    etag: 'v1',
  });
  await pageFetch(swPage, conflicting);
  const second = await pageFetch(swPage, conflicting);
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
  expect(origin.count(conflicting)).toBe(2);
  expect(origin.requests(conflicting)[1]?.headers['if-none-match']).toBe('"v1"');

  const agreeing = apiUrl('/api/resource', { h: [`expires:${inAnHour}`, `expires:${inAnHour}`] });
  await pageFetch(swPage, agreeing);
  const hit = await pageFetch(swPage, agreeing);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(agreeing)).toBe(1);
});
