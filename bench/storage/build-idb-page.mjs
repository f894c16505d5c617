// Builds the chunk-size benchmark's page into `outDir`: index.html plus idb-page.js, a bundle
// of bench/storage/idb-page.ts (IdbStorage and its dependencies).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ENTRY = fileURLToPath(new URL('./idb-page.ts', import.meta.url));

/** @param {string} outDir an empty directory */
export async function buildIdbPage(outDir) {
  await build({
    logLevel: 'warn',
    configFile: false,
    build: {
      outDir,
      emptyOutDir: false,
      minify: false,
      lib: { entry: ENTRY, formats: ['es'], fileName: () => 'idb-page.js' },
    },
  });
  await writeFile(
    join(outDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>IdbStorage bench</title>' +
      '<script type="module" src="./idb-page.js"></script>\n',
  );
}
