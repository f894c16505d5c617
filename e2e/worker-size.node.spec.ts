/**
 * Tree-shaking is real (issue 15): a worker built the way an app builds it, with Vite's library
 * build, contains only the features it imports. The minimal worker (`installHttpCache` with
 * routes) has no comlink, no control endpoint, no cross-context coalescing or write following,
 * no No-Vary-Search, no Structured Fields parser, no multipart ranges, no partial content (sparse
 * entries: the flow's and IndexedDB's piece code) and no cache events (only the control client
 * and other workers hear them), and stays within its gzip budget; each
 * feature brings its own code; the prebuilt worker (dist/worker/, for apps without a bundler) has
 * them all. Sizes, not times.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { buildFeatureWorker, FEATURES, type FeatureName } from '../bench/lib/feature-bundles.mjs';

/** Strings only each piece's code has (checked below to be in the worker that imports it). */
const MARKERS = {
  comlink: 'Comlink.proxy',
  'the control endpoint': 'only same-origin windows may control',
  'cross-context coalescing': 'coordinates requests in this context only',
  'cross-context write following': ':writes',
  'No-Vary-Search': 'key-order',
  'the Structured Fields parser': 'Parse error',
  'multipart ranges': 'multipart/byteranges',
  'the cache events': ':events',
  'partial content': 'could not start storing a piece',
  'IndexedDB pieces': 'starting pieces',
} as const;
type Piece = keyof typeof MARKERS;

/** The pieces each feature brings. */
const PIECES: Record<FeatureName, readonly Piece[]> = {
  controlEndpoint: ['comlink', 'the control endpoint', 'the cache events'],
  crossContext: ['cross-context coalescing', 'cross-context write following', 'the cache events'],
  noVarySearch: ['No-Vary-Search', 'the Structured Fields parser'],
  multipartRanges: ['multipart ranges'],
  partialContent: ['partial content', 'IndexedDB pieces'],
};

/**
 * gzip -9 bytes the minimal worker may weigh. Issue 15 asks for 16 KB; the cache alone (RFC 9111
 * semantics, memory and IndexedDB storage, eviction, the lock) measures 30,884 B (30.2 KB) on
 * 2026-12-06: issue 15's item 3 took out what it carried for features and copies of helpers
 * (31,665 B before, 31,070 B after), the cross-context code left in IdbStorage went behind
 * `crossContext()` (-195 B), compaction resumed after a hit and read on from the compacted
 * Blob (+245 B) came in, and so did the claim of a page that asks (+86 B: the activation's
 * claim skips a page still loading), and `Storage.lookupStreamingWrite`, which only tests called,
 * went out (-386 B); docs/benchmarks.md#the-workers-size says where it goes. This budget, its
 * size rounded up to the next 256 B, keeps it from growing back. It was 29 KB before partial
 * content (issue 13) and the hit path's compaction (issue 15): the part of partial content every
 * worker keeps (purge, clear and orphan collection of pieces another worker stored; a 206 passed
 * through) weighs 0.8 KB, compaction 0.7 KB.
 */
const MINIMAL_BUDGET = 121 * 256; // 30,976 B

function piecesIn(code: string): Piece[] {
  return (Object.keys(MARKERS) as Piece[]).filter((piece) => code.includes(MARKERS[piece]));
}

test('the minimal worker has none of the optional pieces and stays within its budget', async () => {
  test.setTimeout(60_000);
  const { code, gzipBytes } = await buildFeatureWorker([], test.info().outputPath('minimal'));
  expect(code).toContain('sw-http-cache'); // it is the cache (its Cache-Status name)
  expect(piecesIn(code)).toEqual([]);
  expect(gzipBytes).toBeLessThanOrEqual(MINIMAL_BUDGET);
});

for (const feature of FEATURES) {
  test(`${feature}() brings its own pieces and no other`, async () => {
    test.setTimeout(60_000);
    const { code } = await buildFeatureWorker([feature], test.info().outputPath(feature));
    expect(piecesIn(code)).toEqual(PIECES[feature]);
  });
}

for (const file of ['dist/worker/sw-http-cache.js', 'dist/worker/sw-http-cache.mjs']) {
  test(`the prebuilt ${file} has every piece`, () => {
    const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
    if (!existsSync(path))
      throw new Error(`${file} is missing: run \`node scripts/build.mjs\` first`);
    expect(piecesIn(readFileSync(path, 'utf8'))).toEqual(Object.keys(MARKERS));
  });
}
