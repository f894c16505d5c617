/**
 * Security (issue 8), storage: a `no-store` response or request never reaches IndexedDB or memory.
 *
 * Each test checks storage itself (the worker's IndexedDB, read from a page), what the page was
 * served byte for byte, what reached the origin, and that the worker recorded no uncaught error
 * (`expectNoWorkerFaults`). The figures each test reports go to docs/RELIABILITY.md (Security).
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { readCacheDb, unreferencedBodyIds } from './helpers/cache-db.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectedSha256 } from './helpers/expected-body.ts';
import { pageFetch, type PageFetchInit } from './helpers/page-fetch.ts';
import { chunksContaining } from './helpers/stored-bytes-scan.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import { deterministicSlice } from './server/origin.mjs';
import { marker, report, SECURITY_TIMEOUT, storedPaths } from './helpers/security.ts';

test.setTimeout(SECURITY_TIMEOUT);

const MIB = 1024 * 1024;

test.describe('no-store never reaches storage', () => {
  test('no-store responses and requests leave nothing in IndexedDB or memory', async ({
    swPage,
    origin,
  }, testInfo) => {
    // The memory layer keeps bodies up to 8 MiB by default (maxBytes / 4): a larger one would
    // only have gone to IndexedDB.
    const largeSize = 8 * MIB + 4096;
    const cases: { label: string; path: string; init?: PageFetchInit; needle: string | Buffer }[] =
      [];
    const add = (label: string, params: Record<string, string>, init?: PageFetchInit) => {
      const body = marker(label);
      cases.push({ label, path: apiUrl('/api/resource', { ...params, body }), init, needle: body });
    };
    add('no-store', { cc: 'no-store' });
    add('no-store-max-age-public', { cc: 'public, max-age=600, no-store' });
    add('private-no-store', { cc: 'private, no-store, max-age=600' });
    add('no-store-validators', { cc: 'no-store, must-revalidate', etag: 'v1', lm: '-600' });
    add('no-store-second-field', { cc: 'max-age=600', h: 'cache-control:no-store' });
    add('request-mode-no-store', { cc: 'max-age=600' }, { cache: 'no-store' });
    add(
      'request-header-no-store',
      { cc: 'max-age=600' },
      { headers: { 'cache-control': 'no-store' } },
    );
    const large = apiUrl('/api/resource', { cc: 'no-store', size: largeSize });
    cases.push({ label: 'large-no-store', path: large, needle: deterministicSlice(large, 0, 64) });

    // A stored entry whose revalidation answers 304 with no-store (RFC 9111 §4.3.4: the merged
    // headers forbid keeping it): the stored body must go.
    const revalidatedBody = marker('revalidated');
    const revalidated = sequenceUrl([
      { cc: 'max-age=0', etag: 'v1', body: revalidatedBody },
      { cc: 'no-store', etag: 'v1' },
    ]);
    // The positive control: the same scan finds a body that may be stored.
    const controlBody = marker('control');
    const control = apiUrl('/api/resource', { cc: 'max-age=600', body: controlBody });

    let bytesChecked = 0;
    for (const { path, init } of cases) {
      for (let round = 1; round <= 2; round++) {
        const result = await pageFetch(swPage, path, {
          as: path === large ? 'sha256' : 'text',
          init,
        });
        expect(result.status).toBe(200);
        if (path === large) expect(result.sha256).toBe(expectedSha256(large, largeSize));
        else expect(result.bodyText).toContain('secret-');
        bytesChecked += result.bodySize;
        // Never answered from memory or IndexedDB: every round reaches the origin.
        expect(parseCacheStatus(result.headers['cache-status']).hit, path).toBe(false);
        expect(origin.count(path), path).toBe(round);
      }
    }
    const first = await pageFetch(swPage, revalidated);
    expect(first.bodyText).toBe(revalidatedBody);
    expect(await storedPaths(swPage)).toContain(revalidated);
    const merged = await pageFetch(swPage, revalidated);
    expect(merged.bodyText).toBe(revalidatedBody); // served once, from the 304 merge
    expect(parseCacheStatus(merged.headers['cache-status'])).toMatchObject({ fwdStatus: 304 });

    await pageFetch(swPage, control);
    await expect.poll(() => storedPaths(swPage)).toEqual([control]);

    const snapshot = await readCacheDb(swPage);
    expect(unreferencedBodyIds(snapshot), 'chunks without a complete meta').toEqual([]);
    const needles = [...cases.map((c) => c.needle), revalidatedBody, controlBody];
    const found = await chunksContaining(swPage, needles);
    expect(found).toEqual([...cases.map(() => 0), 0, 1]);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      responses: cases.length * 2 + 2,
      storedNoStore: 0,
      bytesChecked,
      chunksScanned: snapshot.chunks.length,
    });
  });
});
