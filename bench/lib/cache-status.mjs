// The bench reads `Cache-Status` with the worker's own codec (src/sw/cache-status.ts), not a copy.
// Node 20 cannot import TypeScript, so Vite's module runner (what Vite loads its own TypeScript
// config with) transpiles it once at start-up.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const source = fileURLToPath(new URL('../../src/sw/cache-status.ts', import.meta.url));
/** @type {{ module: typeof import('../../src/sw/cache-status.ts') }} */
const { module: codec } = await runnerImport(source, { configFile: false, logLevel: 'warn' });

/**
 * Who answered, from `Cache-Status`: sw-http-cache's `detail` on a hit (`composition.memory`,
 * `composition.idb`…), `miss` when it forwarded, else `-` (no header, or not ours). Throws on a
 * malformed header: a bench row must not be filed under a guess.
 *
 * @param {string | null} cacheStatus
 */
export function servedBy(cacheStatus) {
  const ours = codec.parseCacheStatusList(cacheStatus).find((m) => m.cache === codec.CACHE_NAME);
  if (ours === undefined) return '-';
  if (ours.hit) return ours.detail ?? 'hit';
  return ours.fwd === undefined ? '-' : 'miss';
}
