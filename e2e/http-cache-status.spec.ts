/**
 * `Cache-Status` (RFC 9211) and `Age` (RFC 9111 §5.1) on the worker's answers: every answer
 * says what the cache did; a stored answer says how old it is and how long it stays fresh.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { pageRequest } from './helpers/page-request.ts';

test('Age starts from the origin’s Age and grows on hits while ttl shrinks', async ({
  swPage,
  origin,
}) => {
  // The origin says the response is already 30 s old: 30 s of freshness are left.
  const path = apiUrl('/api/resource', { cc: 'max-age=60', age: 30 });

  const miss = await pageFetch(swPage, path);
  expect(miss.headers['age']).toBe('30');
  expect(parseCacheStatus(miss.headers['cache-status'])).toMatchObject({ stored: true });

  const hit = await pageFetch(swPage, path);
  const first = parseCacheStatus(hit.headers['cache-status']);
  const firstAge = Number(hit.headers['age']);
  expect(first.hit).toBe(true);
  expect(firstAge).toBeGreaterThanOrEqual(30);
  expect(firstAge).toBeLessThanOrEqual(32);
  expect(first.ttl).toBeLessThanOrEqual(30);
  // Age and ttl describe the same entry: together they make max-age (± a second of rounding).
  expect(Math.abs(firstAge + (first.ttl ?? 0) - 60)).toBeLessThanOrEqual(1);

  await swPage.waitForTimeout(1_100);
  const later = await pageFetch(swPage, path);
  const second = parseCacheStatus(later.headers['cache-status']);
  expect(Number(later.headers['age'])).toBeGreaterThanOrEqual(firstAge + 1);
  expect(second.ttl).toBeLessThanOrEqual((first.ttl ?? 0) - 1);
  expect(origin.count(path)).toBe(1);
});

test('an Age beyond max-age makes a response stale on arrival', async ({ swPage, origin }) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=60', etag: 'v1', age: 120 });

  await pageFetch(swPage, path);
  const second = await pageFetch(swPage, path);

  expect(origin.count(path)).toBe(2);
  expect(origin.requests(path)[1]?.headers['if-none-match']).toBe('"v1"');
  expect(parseCacheStatus(second.headers['cache-status'])).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
  });
});

test('every kind of answer carries the worker’s Cache-Status, stored answers an Age', async ({
  swPage,
}) => {
  const fresh = apiUrl('/api/resource', { cc: 'max-age=60' });
  const stale = apiUrl('/api/resource', { cc: 'max-age=0', etag: 'v1' });
  const uncacheable = apiUrl('/api/resource', { cc: 'no-store' });

  const answers = {
    miss: await pageFetch(swPage, fresh),
    hit: await pageFetch(swPage, fresh),
    staleStored: await pageFetch(swPage, stale),
    revalidated: await pageFetch(swPage, stale),
    uncacheable: await pageFetch(swPage, uncacheable),
    bypass: await pageFetch(swPage, uncacheable),
    onlyIfCached: await pageRequest(swPage, '/api/resource?missing', {
      cache: 'only-if-cached',
      mode: 'same-origin',
    }),
    unsafe: await pageFetch(swPage, fresh, { init: { method: 'POST' } }),
    error: await pageFetch(swPage, '/api/error?status=500'),
  };
  const statuses = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      parseCacheStatus(answer.headers['cache-status']),
    ]),
  );
  for (const status of Object.values(statuses)) expect(status.cache).toBe('sw-http-cache');
  expect(statuses).toMatchObject({
    miss: { fwd: 'uri-miss', fwdStatus: 200, stored: true },
    hit: { hit: true },
    staleStored: { fwd: 'uri-miss', stored: true },
    revalidated: { fwd: 'stale', fwdStatus: 304 },
    uncacheable: { fwd: 'uri-miss', stored: false },
    bypass: { fwd: 'bypass' },
    onlyIfCached: { fwd: 'uri-miss' },
    unsafe: { fwd: 'method', fwdStatus: 200 },
    error: { fwd: 'uri-miss', fwdStatus: 500, stored: false },
  });
  expect(answers.onlyIfCached.status).toBe(504);
  // Answers built from storage say how old they are.
  expect(answers.hit.headers['age']).toMatch(/^\d+$/);
  expect(answers.revalidated.headers['age']).toMatch(/^\d+$/);
  expect(statuses['hit']?.ttl).toBeGreaterThan(0);
  expect(statuses['revalidated']?.ttl).toBeLessThanOrEqual(0);
});
