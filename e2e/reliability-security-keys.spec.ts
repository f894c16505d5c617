/**
 * Security (issue 8), cache keys: no URL spelling, method or variant makes the cache serve a body
 * stored for another request. Unit level: the key of hosts with letters and default ports
 * (src/core/key-url-tricks.test.ts), hash collisions (src/storage/collision.test.ts).
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

test.describe('cache keys and URL tricks', () => {
  test('each URL trick maps to its WHATWG-parsed URL, and no body is served for another URL', async ({
    swPage,
    origin,
  }, testInfo) => {
    const port = origin.port;
    // Each group: spellings of one resource (one key). Different groups: different resources.
    const groups: string[][] = [
      [
        '/api/echo?t=a',
        '/api/echo?t=a#fragment',
        '/api/echo?t=a#/../other',
        '/api/x/../echo?t=a',
        '/api/./echo?t=a',
        '/api/x/%2e%2e/echo?t=a',
        '/api/x/%2E%2e/echo?t=a',
        '/api/x/.%2e/echo?t=a',
        '/api/%2e/echo?t=a',
        '/api\\echo?t=a',
        '/api/ec\tho?t=a',
        `HTTP://127.0.0.1:${port}/api/echo?t=a`,
        `http://0x7F.0.0.1:${port}/api/echo?t=a`,
        `http://2130706433:${port}/api/echo?t=a`,
        `http://127.1:0${port}/api/echo?t=a`,
      ],
      ['/api/echo'],
      ['/api/echo?'],
      ['/api/echo?a=1&b=2'],
      ['/api/echo?b=2&a=1'],
      ['/api/echo?t=%61'],
      ['/api/echo?t=A'],
      ['/api/echo?t=%2F', '/api/echo?t=%2F#x'],
      ['/api/echo?t=%2f'],
      ['/api/echo?t=/'],
      ['/api/echo?t=..%2Fsecret'],
      ['/api/echo?t=a%23b'],
    ];
    const parsed = await swPage.evaluate(
      (groups) =>
        groups.map((group) =>
          group.map((spelling) => {
            const url = new URL(spelling, location.href);
            url.hash = '';
            return url.href;
          }),
        ),
      groups,
    );
    // The groups are right by the browser's own parser: one href per group, all distinct.
    const hrefs = parsed.map((group) => [...new Set(group)]);
    for (const group of hrefs) expect(group).toHaveLength(1);
    expect(new Set(hrefs.flat()).size).toBe(groups.length);

    const served = new Map<string, string>();
    let requests = 0;
    for (let round = 1; round <= 2; round++) {
      for (const [index, group] of groups.entries()) {
        const href = hrefs[index]?.[0] ?? '';
        const target = href.slice(origin.url.length);
        for (const spelling of group) {
          const result = await pageFetch(swPage, spelling);
          requests++;
          const text = result.bodyText ?? '';
          // The body names the target the origin saw: the parsed URL's path and query.
          expect(text.startsWith(`echo GET ${target} `), `${spelling} got ${text}`).toBe(true);
          const earlier = served.get(href);
          if (earlier === undefined) served.set(href, text);
          else expect(text, spelling).toBe(earlier); // the one stored response, never another
        }
      }
      expect(origin.count('/api/echo')).toBe(groups.length);
    }
    expect(new Set(served.values()).size).toBe(groups.length);
    await expect.poll(async () => (await storedPaths(swPage)).length).toBe(groups.length);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      spellings: groups.flat().length,
      keys: groups.length,
      requests,
      originRequests: groups.length,
      crossServed: 0,
    });
  });
});

test.describe('method and variant', () => {
  test('unsafe methods reach the origin, HEAD never feeds GET, each Vary variant keeps its body', async ({
    swPage,
    origin,
  }, testInfo) => {
    const path = '/api/echo?m=1';
    const stored = await pageFetch(swPage, path);
    let checked = 1;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const result = await pageFetch(swPage, path, {
        init: { method, body: method === 'DELETE' ? undefined : 'x' },
      });
      expect(result.bodyText).toMatch(new RegExp(`^${method} /api/echo\\?m=1 #\\d+$`));
      expect(result.bodyText).not.toBe(stored.bodyText);
      checked++;
    }
    expect(origin.requests(path).map((r) => r.method)).toEqual([
      'GET',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
    ]);

    // HEAD first: forwarded and not stored, so the GET after it gets the whole body.
    const headFirst = '/api/echo?h=1';
    const head = await pageFetch(swPage, headFirst, { init: { method: 'HEAD' } });
    expect([head.status, head.bodySize]).toEqual([200, 0]);
    const get = await pageFetch(swPage, headFirst);
    expect(get.bodyText).toMatch(/^echo GET \/api\/echo\?h=1 /);
    expect(parseCacheStatus(get.headers['cache-status']).hit).toBe(false);
    // HEAD from the stored GET (RFC 9110 §9.3.2): headers only, and the GET keeps its body.
    const storedHead = await pageFetch(swPage, headFirst, { init: { method: 'HEAD' } });
    expect([storedHead.bodySize, parseCacheStatus(storedHead.headers['cache-status']).hit]).toEqual(
      [0, true],
    );
    const getAgain = await pageFetch(swPage, headFirst);
    expect(getAgain.bodyText).toBe(get.bodyText);
    checked += 4;

    // Vary on a request header: each value (case matters) gets its own body.
    const varied = apiUrl('/api/resource', { cc: 'max-age=600', vary: 'x-variant' });
    const values = ['a', 'b', 'A', '', 'a, b'];
    const headersOf = (value: string): Record<string, string> =>
      value === '' ? {} : { 'x-variant': value };
    const bodies: string[] = [];
    for (const value of values) {
      bodies.push(
        (await pageFetch(swPage, varied, { init: { headers: headersOf(value) } })).bodyText ?? '',
      );
    }
    expect(bodies).toEqual(values.map((_v, i) => `origin response #${i + 1} for ${varied}`));
    for (const [index, value] of [...values.entries()].reverse()) {
      const hit = await pageFetch(swPage, varied, { init: { headers: headersOf(value) } });
      expect(hit.bodyText, `x-variant: ${value}`).toBe(bodies[index]);
    }
    expect(origin.count(varied)).toBe(values.length);
    checked += values.length * 2;
    await expectNoWorkerFaults(swPage);
    report(testInfo, { answersChecked: checked, variants: values.length, mixedUp: 0 });
  });
});
