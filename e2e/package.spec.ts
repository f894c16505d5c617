/**
 * The published package works for a consumer: `npm pack` the built library, install the tarball
 * into a fresh Vite app in a temporary directory (outside the repository, so nothing resolves to
 * our sources), type-check it against the package's declarations, build a page and a worker that
 * import `sw-http-cache` and `sw-http-cache/sw`, serve the result and make one cached fetch in
 * Chromium: a miss, then a hit. Needs `node scripts/build.mjs` first, and the npm registry (or
 * npm's cache: installs use `--prefer-offline`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures.ts';
import { startOrigin } from './server/origin.mjs';
import { parseCacheStatus } from './helpers/cache-status.ts';

const execFileAsync = promisify(execFile);

/** Runs a command; on failure the error carries its output, so the report says what went wrong. */
async function run(file: string, args: string[], options: { cwd: string }) {
  try {
    return await execFileAsync(file, args, { ...options, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PackedFile {
  path: string;
}

/** Strict, and checking the package's declarations too (`skipLibCheck: false`). */
function consumerTsconfig(lib: string[], file: string): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    files: [file],
  });
}

/** Not the Workbox release this repository uses. */
const APP_WORKBOX = '7.3.0';

interface DependencyTree {
  version?: string;
  dependencies?: Record<string, DependencyTree>;
}

/** Each package's distinct installed versions (deduplicated entries count once). */
function installedVersions(tree: DependencyTree): Record<string, string[]> {
  const found: Record<string, Set<string>> = {};
  const walk = (node: DependencyTree): void => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (['workbox-core', 'idb', 'comlink'].includes(name) && child.version) {
        (found[name] ??= new Set()).add(child.version);
      }
      walk(child);
    }
  };
  walk(tree);
  return Object.fromEntries(Object.entries(found).map(([name, set]) => [name, [...set]]));
}

const APP_FILES: Record<string, string> = {
  'index.html': `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title></head>
<body><script type="module" src="./main.ts"></script></body></html>`,
  'main.ts': `import { registerHttpCache, type CacheStats } from 'sw-http-cache';
declare global { interface Window { cacheReady: Promise<() => Promise<CacheStats>> } }
window.cacheReady = registerHttpCache({ scriptURL: '/sw.js' }).then((client) => () => client.stats());
`,
  'sw.ts': `import { controlEndpoint, installHttpCache, type HttpCacheOptions } from 'sw-http-cache/sw';
const options: HttpCacheOptions = { routes: /\\/api\\//, features: [controlEndpoint()] };
installHttpCache(options);
`,
  'build.mjs': `import { build } from 'vite';
await build({ logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
await build({
  logLevel: 'warn',
  configFile: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  build: { outDir: 'dist', emptyOutDir: false,
    lib: { entry: 'sw.ts', formats: ['iife'], name: 'sw', fileName: () => 'sw.js' } },
});
`,
  // A page and a worker need different `lib`s (DOM and WebWorker conflict), as in a real app.
  'tsconfig.page.json': consumerTsconfig(['ES2023', 'DOM', 'DOM.Iterable'], 'main.ts'),
  'tsconfig.sw.json': consumerTsconfig(['ES2023', 'WebWorker'], 'sw.ts'),
};

test('the packed package installs, type-checks, builds and caches in a fresh Vite app', async ({
  swContext,
  browserName,
}) => {
  test.skip(browserName !== 'chromium', 'one browser is enough for the package check');
  test.setTimeout(150_000);
  const dir = await mkdtemp(join(tmpdir(), 'sw-http-cache-consumer-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: REPO_ROOT,
    });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: PackedFile[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/client/index.js',
        'dist/sw/index.js',
        'dist/types/client/index.d.ts',
        'dist/types/sw/index.d.ts',
        'README.md',
      ]),
    );
    expect(paths.filter((path) => /test|demo|e2e|testing|\.tsbuildinfo/.test(path))).toEqual([]);

    const viteVersion = JSON.parse(
      await readFile(join(REPO_ROOT, 'node_modules/vite/package.json'), 'utf8'),
    ) as { version: string };
    const tsVersion = JSON.parse(
      await readFile(join(REPO_ROOT, 'node_modules/typescript/package.json'), 'utf8'),
    ) as { version: string };
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    for (const [name, content] of Object.entries(APP_FILES)) {
      await writeFile(join(dir, name), content);
    }
    const install = (packages: string[]) =>
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages], {
        cwd: dir,
      });
    // An app already on Workbox 7 (an older release, which pins its workbox-core exactly)…
    await install([
      `vite@${viteVersion.version}`,
      `typescript@${tsVersion.version}`,
      `workbox-precaching@${APP_WORKBOX}`,
    ]);
    // …adds the cache: the caret ranges must keep one workbox-core, the app's.
    await install([join(dir, packed.filename)]);
    const { stdout: tree } = await run(
      'npm',
      ['ls', '--all', '--json', 'workbox-core', 'idb', 'comlink'],
      { cwd: dir },
    );
    expect(installedVersions(JSON.parse(tree) as DependencyTree)).toEqual({
      comlink: [expect.any(String)],
      idb: [expect.any(String)],
      'workbox-core': [APP_WORKBOX],
    });
    for (const config of ['tsconfig.page.json', 'tsconfig.sw.json']) {
      await run(join(dir, 'node_modules/.bin/tsc'), ['-p', config], { cwd: dir });
    }
    await run('node', ['build.mjs'], { cwd: dir });

    const origin = await startOrigin({ staticDir: join(dir, 'dist') });
    try {
      const page = await swContext.newPage();
      await page.goto(`${origin.url}/`);
      await page.evaluate(() => window.cacheReady.then(() => true));
      const statuses = await page.evaluate(async () => {
        const url = '/api/resource?cc=max-age%3D60&id=package';
        const answers = [];
        for (let i = 0; i < 2; i++) {
          const response = await fetch(url);
          await response.text();
          answers.push(response.headers.get('cache-status'));
        }
        return answers;
      });
      expect(parseCacheStatus(statuses[0] ?? undefined)).toMatchObject({
        hit: false,
        stored: true,
      });
      expect(parseCacheStatus(statuses[1] ?? undefined)).toMatchObject({ hit: true });
      expect(origin.count('/api/resource')).toBe(1);
      const stats = await page.evaluate(() => window.cacheReady.then((stats) => stats()));
      expect(stats).toMatchObject({ hits: 1, misses: 1 });
    } finally {
      await origin.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

declare global {
  interface Window {
    cacheReady: Promise<() => Promise<{ hits: number; misses: number }>>;
  }
}
