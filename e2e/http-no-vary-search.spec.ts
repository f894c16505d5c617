/**
 * `No-Vary-Search` (draft-ietf-httpbis-no-vary-search, beyond RFC 9111): a stored response
 * answers URLs that differ from its own only in the query parameters it says do not matter;
 * anything malformed falls back to exact matching.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';

const url = (nvs: string, utm: string, id = 'nvs') =>
  apiUrl('/api/resource', { id, cc: 'max-age=60', h: `no-vary-search:${nvs}`, utm });

test('a URL that differs only in an ignored parameter is answered from the cache', async ({
  swPage,
  origin,
}) => {
  const first = url('params=("utm")', 'newsletter');
  const stored = await pageFetch(swPage, first);
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });

  const other = url('params=("utm")', 'social');
  const hit = await pageFetch(swPage, other);
  expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  expect(hit.bodyText).toBe(stored.bodyText);
  expect(origin.count(first)).toBe(1);
  expect(origin.count(other)).toBe(0);

  // A parameter that counts still makes another URL.
  const another = url('params=("utm")', 'social', 'nvs-other');
  expect(parseCacheStatus((await pageFetch(swPage, another)).headers['cache-status']).hit).toBe(
    false,
  );
  expect(origin.count(another)).toBe(1);
});

test('a malformed No-Vary-Search matches exactly only', async ({ swPage, origin }) => {
  const first = url('params=(utm)', 'newsletter', 'bad');
  await pageFetch(swPage, first);
  const other = url('params=(utm)', 'social', 'bad');
  const answer = await pageFetch(swPage, other);
  expect(parseCacheStatus(answer.headers['cache-status'])).toMatchObject({ fwd: 'uri-miss' });
  expect(origin.count(first)).toBe(1);
  expect(origin.count(other)).toBe(1);
});
