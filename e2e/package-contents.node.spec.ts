/**
 * What `npm pack` ships: the library, its types, the prebuilt worker, README and LICENSE, and
 * nothing else (no demo assets, tests or sources). Needs `node scripts/build.mjs` first.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every file the tarball may hold, by kind. */
const SHIPPED = [
  /^(package\.json|README\.md|LICENSE)$/,
  /^dist\/(client|sw|inspector)\/index\.js(\.map)?$/, // the three entry points
  /^dist\/[\w-]+\.js(\.map)?$/, // code the entry points share
  /^dist\/types\/.+\.d\.ts$/,
  /^dist\/worker\/sw-http-cache\.m?js$/, // the prebuilt worker, classic and module
];

test('npm pack ships only the library (three entry points), its types, the prebuilt worker, README and LICENSE', async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  const paths = packed.files.map((file) => file.path);
  expect(paths.filter((path) => !SHIPPED.some((pattern) => pattern.test(path)))).toEqual([]);
  expect(paths).toEqual(
    expect.arrayContaining([
      'LICENSE',
      'README.md',
      'package.json',
      'dist/client/index.js',
      'dist/sw/index.js',
      'dist/inspector/index.js',
      'dist/types/client/index.d.ts',
      'dist/types/sw/index.d.ts',
      'dist/worker/sw-http-cache.js',
      'dist/worker/sw-http-cache.mjs',
    ]),
  );
});
