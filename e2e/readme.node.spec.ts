/**
 * The README's code cannot drift: every block is a file of the recipe (and equal to it) or a
 * README-only file that e2e/readme.spec.ts runs, and every TypeScript block type-checks as a
 * consumer's code against the built package (TypeScript 5.9 and 6, `strict`,
 * `skipLibCheck: false`), in the recipe's own tsconfigs: the page's with `DOM`, the worker's
 * with `WebWorker`. TypeScript 5 lacks `URLPattern` in its libs, which is why 5.9 is checked
 * too. Needs `node scripts/build.mjs` first (the declarations in dist/types).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { RUN_BY, readmeSnippets } from './helpers/readme-snippets.ts';
import { REPO_ROOT, run, scratchDir, variantFiles, writeFiles } from './helpers/recipe-app.ts';

test('every README code block is tagged, and recipe blocks equal the recipe files', async () => {
  const snippets = await readmeSnippets();
  const untagged = snippets.filter((snippet) => snippet.lang !== 'sh' && snippet.tag === undefined);
  expect(untagged.map((snippet) => `README.md:${snippet.line}`)).toEqual([]);

  for (const snippet of snippets) {
    if (!snippet.tag?.startsWith('recipes/')) continue;
    const file = await readFile(join(REPO_ROOT, snippet.tag), 'utf8');
    expect(snippet.code, `README.md:${snippet.line} against ${snippet.tag}`).toBe(file);
  }
  const readmeOnly = snippets.flatMap((snippet) =>
    snippet.tag?.startsWith('readme/') ? [snippet.tag] : [],
  );
  expect(readmeOnly.sort()).toEqual(Object.keys(RUN_BY).sort());
});

test('the README recipe starts "Use it in an app"', async () => {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in an app'));
  const firstHeading = /\n### (.+)\n/.exec(section)?.[1];
  expect(firstHeading).toBe('With vite-plugin-pwa (Vite apps)');
});

/** The compilers the README promises: TypeScript 5.9 (the npm alias `typescript-5`) and 6. */
const COMPILERS = [
  { name: 'TypeScript 5.9', tsc: join(REPO_ROOT, 'node_modules/typescript-5/bin/tsc') },
  { name: 'TypeScript 6', tsc: join(REPO_ROOT, 'node_modules/typescript/bin/tsc') },
];

test('the recipe and every TypeScript block of the README type-check', async () => {
  test.setTimeout(240_000);
  const dir = await scratchDir('readme-typecheck');
  try {
    const files = new Map(
      await variantFiles({ format: 'es', registerType: 'prompt', version: 'v1' }),
    );
    const typescript = (await readmeSnippets()).filter(
      (snippet) => snippet.tag?.startsWith('readme/') && snippet.lang === 'ts',
    );
    for (const snippet of typescript) files.set(snippet.tag ?? '', snippet.code);
    const worker = typescript.filter((s) => s.tag?.endsWith('sw.ts')).map((s) => s.tag);
    const page = typescript.filter((s) => !s.tag?.endsWith('sw.ts')).map((s) => s.tag);
    expect(worker.length).toBeGreaterThan(0);
    expect(page.length).toBeGreaterThan(0);
    // The README's files in the recipe's own settings (a tsconfig `include` replaces the base's).
    files.set(
      'tsconfig.readme-sw.json',
      JSON.stringify({ extends: './tsconfig.sw.json', include: ['src/sw.ts', ...worker] }),
    );
    files.set(
      'tsconfig.readme-page.json',
      JSON.stringify({ extends: './tsconfig.app.json', include: ['src/main.ts', ...page] }),
    );
    await writeFiles(dir, files);
    for (const { name, tsc } of COMPILERS) {
      const { stdout: version } = await run(process.execPath, [tsc, '--version'], { cwd: dir });
      expect(version, name).toContain(name === 'TypeScript 6' ? 'Version 6.' : 'Version 5.9');
      for (const config of ['tsconfig.readme-page.json', 'tsconfig.readme-sw.json']) {
        // The package's own declarations are among the files checked, not skipped.
        const { stdout } = await run(process.execPath, [tsc, '-p', config, '--listFilesOnly'], {
          cwd: dir,
        });
        expect(stdout).toContain(join(REPO_ROOT, 'dist/types/'));
      }
      for (const config of [
        'tsconfig.readme-page.json',
        'tsconfig.readme-sw.json',
        'tsconfig.node.json',
      ]) {
        await run(process.execPath, [tsc, '-p', config], { cwd: dir });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
