/**
 * The inspector costs nothing to apps that do not import it: the built worker (dist/sw, the
 * demo's bundled dist-demo/sw.js) and the page entry (dist/client with the chunks it imports)
 * contain none of it, and the inspector's own entry pulls in no runtime code of the client.
 * Reads the output of `node scripts/build.mjs`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Strings only the inspector has: its tag name, its class, an id of its markup. */
const INSPECTOR_MARKERS = ['http-cache-inspector', 'HttpCacheInspector', 'purge-suggestions'];

/** Relative static imports of an ES module file. */
function relativeImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [
    ...code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g),
  ].map((match) => resolve(dirname(file), match[1]!));
}

/** `entry` and every file it imports, transitively (relative imports only). */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of relativeImports(file)) visit(imported);
  };
  visit(entry);
  return [...seen];
}

function markersIn(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const code = readFileSync(file, 'utf8');
    return INSPECTOR_MARKERS.filter((marker) => code.includes(marker)).map(
      (marker) => `${file}: ${marker}`,
    );
  });
}

test.beforeAll(() => {
  for (const file of ['dist/inspector/index.js', 'dist/client/index.js', 'dist-demo/sw.js']) {
    if (!existsSync(join(ROOT, file))) {
      throw new Error(`${file} is missing: run \`node scripts/build.mjs\` first`);
    }
  }
});

test('the markers are the inspector’s: its own entry has them all', () => {
  const code = readFileSync(join(ROOT, 'dist/inspector/index.js'), 'utf8');
  for (const marker of INSPECTOR_MARKERS) expect(code).toContain(marker);
});

test('the page entry and the worker contain none of the inspector', () => {
  const files = [
    ...moduleGraph(join(ROOT, 'dist/client/index.js')),
    ...moduleGraph(join(ROOT, 'dist/sw/index.js')),
    join(ROOT, 'dist-demo/sw.js'),
  ];
  expect(files.length).toBeGreaterThan(3); // the graph was followed into shared chunks
  expect(markersIn(files)).toEqual([]);
});

test('the inspector imports no runtime code of the client (only its types)', () => {
  expect(moduleGraph(join(ROOT, 'dist/inspector/index.js'))).toEqual([
    join(ROOT, 'dist/inspector/index.js'),
  ]);
});
