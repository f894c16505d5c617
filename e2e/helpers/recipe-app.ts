/**
 * The vite-plugin-pwa recipe (recipes/vite-plugin-pwa/) as a fresh app in a temporary directory,
 * built with the repository's own packages (no network): its `node_modules` holds a link to each
 * of the repository's packages, and `sw-http-cache` links to the repository itself, so the app
 * resolves the package through its `exports` (build `dist/` first) exactly as an installed copy.
 *
 * A variant is the recipe with the documented one-line changes applied (worker format, update
 * mode, the app's version). Builds are kept in the temporary directory under a hash of
 * everything they depend on, so each variant is built once per change of the code, not once
 * per test, project or run.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RECIPE_DIR = join(REPO_ROOT, 'recipes/vite-plugin-pwa');
// One folder per checkout: its node_modules links point into that checkout, so two clones of the
// repository (a CI clone beside a work tree) never type-check or build against each other.
const BUILDS_DIR = join(
  tmpdir(),
  'sw-http-cache-recipe-builds',
  createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12),
);

export interface RecipeVariant {
  readonly format: 'es' | 'iife';
  readonly registerType: 'prompt' | 'autoUpdate';
  readonly version: 'v1' | 'v2';
}

/** Runs a command; on failure the error carries its output. */
export async function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(file, args, { ...options, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** Replaces `from` by `to` in `text`, which must contain it exactly once (the recipe changed?). */
export function replaceOnce(text: string, from: string, to: string, file: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1)
    throw new Error(`${file}: expected ${JSON.stringify(from)} once, found ${count}`);
  return text.replace(from, to);
}

/** The recipe's files, with the changes the README documents for `variant`. */
export async function variantFiles(variant: RecipeVariant): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(RECIPE_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(RECIPE_DIR, join(entry.parentPath, entry.name));
    files.set(path, await readFile(join(RECIPE_DIR, path), 'utf8'));
  }
  const edit = (path: string, from: string, to: string): void => {
    files.set(path, replaceOnce(files.get(path) ?? '', from, to, path));
  };
  if (variant.format === 'iife') {
    edit('vite.config.ts', "rollupFormat: 'es'", "rollupFormat: 'iife'");
  }
  if (variant.registerType === 'autoUpdate') {
    edit('vite.config.ts', "registerType: 'prompt'", "registerType: 'autoUpdate'");
    edit('src/sw.ts', "skipWaiting: 'message'", 'skipWaiting: true');
  }
  if (variant.version === 'v2') {
    edit('index.html', '<span id="version">v1</span>', '<span id="version">v2</span>');
  }
  return files;
}

/** A hash of the built library the app imports. */
async function libraryHash(): Promise<string> {
  const hash = createHash('sha256');
  const dist = join(REPO_ROOT, 'dist');
  if (!existsSync(join(dist, 'sw/index.js'))) {
    throw new Error('dist/ is missing: run `node scripts/build.mjs` first');
  }
  for (const name of (await readdir(dist, { recursive: true })).sort()) {
    if (!name.endsWith('.js')) continue;
    hash.update(name).update(await readFile(join(dist, name)));
  }
  return hash.digest('hex');
}

/**
 * `BUILDS_DIR/node_modules`: a link to each of the repository's packages, and `sw-http-cache` to
 * the repository. Apps below BUILDS_DIR find it by the usual upward lookup.
 */
async function ensureNodeModules(): Promise<void> {
  const target = join(BUILDS_DIR, 'node_modules');
  if (existsSync(join(target, 'sw-http-cache'))) return;
  const staging = `${target}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  for (const name of await readdir(join(REPO_ROOT, 'node_modules'))) {
    await symlink(join(REPO_ROOT, 'node_modules', name), join(staging, name));
  }
  await symlink(REPO_ROOT, join(staging, 'sw-http-cache'));
  await rename(staging, target).catch(async () => {
    // Another worker made it first.
    await rm(staging, { recursive: true, force: true });
  });
}

/** A directory holding the recipe app of `variant`: its sources and its production build in `dist/`. */
export async function recipeApp(variant: RecipeVariant): Promise<string> {
  const name = `${variant.format}-${variant.registerType}-${variant.version}`;
  return cachedApp(name, await variantFiles(variant), async (dir) => {
    await run(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: dir },
    );
  });
}

/**
 * A directory below the shared `node_modules` holding `files`, after `build` ran in it once:
 * kept under a hash of the files and of the built library, so it is made again only when one
 * of them changed. Built in a staging directory and renamed, so parallel workers never see half
 * a build.
 */
export async function cachedApp(
  name: string,
  files: ReadonlyMap<string, string>,
  build: (dir: string) => Promise<void>,
): Promise<string> {
  await ensureNodeModules();
  const hash = createHash('sha256').update(await libraryHash());
  for (const [path, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(path).update(text);
  }
  const app = join(BUILDS_DIR, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(app, '.built'))) return app;
  const staging = `${app}.${process.pid}.${Date.now()}`;
  await writeFiles(staging, files);
  await build(staging);
  await writeFile(join(staging, '.built'), '');
  await rename(staging, app).catch(async () => {
    // Another worker made it first.
    await rm(staging, { recursive: true, force: true });
  });
  // Builds of this app for older code are of no use any more (names are plain words).
  const sameApp = new RegExp(`^${name}-[0-9a-f]{16}$`);
  for (const entry of await readdir(BUILDS_DIR)) {
    if (sameApp.test(entry) && join(BUILDS_DIR, entry) !== app) {
      await rm(join(BUILDS_DIR, entry), { recursive: true, force: true });
    }
  }
  return app;
}

/** Writes `files` (relative paths) below `dir`. */
export async function writeFiles(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [path, text] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** A fresh directory below the shared `node_modules`, for a check that must run every time. */
export async function scratchDir(name: string): Promise<string> {
  await ensureNodeModules();
  return mkdtemp(join(BUILDS_DIR, `${name}-`));
}

/** Replaces what `dir` serves by `app`'s build (an app deployed over another). */
export async function deploy(app: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await cp(join(app, 'dist'), dir, { recursive: true });
}
