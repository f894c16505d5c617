/**
 * Security (issue 8), credentials: a response to a request with `Authorization` or cookies is not
 * served to another user. Unit level: `cacheAuthorized` (src/sw/credentials.test.ts).
 *
 * Each test checks storage itself (the worker's IndexedDB, read from a page), what the page was
 * served byte for byte, what reached the origin, and that the worker recorded no uncaught error
 * (`expectNoWorkerFaults`). The figures each test reports go to docs/RELIABILITY.md (Security).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import { report, SECURITY_TIMEOUT, storedPaths } from './helpers/security.ts';

test.setTimeout(SECURITY_TIMEOUT);

test.describe('credentials', () => {
  test('Authorization: not stored by default; public is stored and shared (RFC 9111 §3.5); Vary keeps users apart', async ({
    swPage,
    origin,
  }, testInfo) => {
    const alice = { authorization: 'Bearer alice' };
    const bob = { authorization: 'Bearer bob' };
    // Default (`cacheAuthorized: false`): max-age alone does not let it be stored.
    const privatePath = '/api/echo?user=1';
    const first = await pageFetch(swPage, privatePath, { init: { headers: alice } });
    const again = await pageFetch(swPage, privatePath, { init: { headers: alice } });
    const anonymous = await pageFetch(swPage, privatePath);
    expect(new Set([first.bodyText, again.bodyText, anonymous.bodyText]).size).toBe(3);
    expect(parseCacheStatus(first.headers['cache-status']).detail).toBe('authorization');
    expect(origin.requests(privatePath).map((r) => r.headers.authorization)).toEqual([
      'Bearer alice',
      'Bearer alice',
      undefined,
    ]);

    // `public` allows storing it (§3.5) and the stored response is reused for later requests,
    // with or without Authorization: a private cache serves one browser profile.
    const publicPath = apiUrl('/api/resource', { cc: 'public, max-age=600' });
    const stored = await pageFetch(swPage, publicPath, { init: { headers: alice } });
    const reused = await pageFetch(swPage, publicPath);
    expect(reused.bodyText).toBe(stored.bodyText);
    expect(parseCacheStatus(reused.headers['cache-status']).hit).toBe(true);

    // `Vary: Authorization` gives each credential its own stored variant.
    const varied = apiUrl('/api/resource', { cc: 'public, max-age=600', vary: 'authorization' });
    const users = [alice, bob, {}];
    const bodies: string[] = [];
    for (const headers of users) {
      bodies.push((await pageFetch(swPage, varied, { init: { headers } })).bodyText ?? '');
    }
    expect(bodies).toEqual([1, 2, 3].map((n) => `origin response #${n} for ${varied}`));
    for (const [index, headers] of users.entries()) {
      const hit = await pageFetch(swPage, varied, { init: { headers } });
      expect(hit.bodyText).toBe(bodies[index]);
      expect(parseCacheStatus(hit.headers['cache-status']).hit).toBe(true);
    }
    const paths = await storedPaths(swPage);
    expect(paths.filter((p) => p === privatePath)).toEqual([]);
    expect(paths.filter((p) => p === varied)).toHaveLength(3);
    await expectNoWorkerFaults(swPage);
    report(testInfo, { requests: 3 + 2 + 6, authorizedStoredByDefault: 0, variants: 3 });
  });

  test('cookies go to the origin and do not change storability (as documented)', async ({
    swPage,
    origin,
  }, testInfo) => {
    await swPage.evaluate(() => {
      document.cookie = 'sid=alice; path=/';
    });
    const path = '/api/echo?cookie=1';
    const first = await pageFetch(swPage, path);
    expect(origin.requests(path)[0]?.headers.cookie).toBe('sid=alice');
    expect(parseCacheStatus(first.headers['cache-status']).stored).toBe(true);
    const second = await pageFetch(swPage, path);
    expect(second.bodyText).toBe(first.bodyText);
    await expect.poll(() => storedPaths(swPage)).toEqual([path]);
    await expectNoWorkerFaults(swPage);
    report(testInfo, { cookieForwarded: 1, storedWithCookie: 1 });
  });
});
