/**
 * The layering rules of eslint.layers.js bite: each import below is linted as if it stood in the
 * file named, with only those rules. `npx eslint .` checks the real sources against them.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const layersModule = pathToFileURL(path.join(root, 'eslint.layers.js')).href;
const { layerBoundaries } = (await import(layersModule)) as { layerBoundaries: Linter.Config[] };

function violations(file: string, specifier: string): string[] {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const config: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...layerBoundaries,
  ];
  const code = `import type { X } from '${specifier}';\nexport type Y = X;\n`;
  return linter
    .verify(code, config, { filename: path.join(root, file) })
    .map((m) => m.ruleId ?? m.message);
}

describe('layering rules', () => {
  it.each([
    ['src/storage/composition/composition.ts', '../../sw/handler.ts'],
    ['src/storage/index.ts', '../client/index.ts'],
    ['src/storage/idb/idb.ts', '../../lock/web-locks.ts'],
    ['src/storage/idb/idb.ts', '../../eviction/lru.ts'],
    ['src/lock/web-locks.ts', '../sw/config.ts'],
    ['src/lock/web-locks.ts', '../storage/index.ts'],
    ['src/eviction/lru.ts', '../client/index.ts'],
    ['src/client/index.ts', '../sw/index.ts'],
    ['src/client/index.ts', '../storage/index.ts'],
    ['src/core/http-cache.ts', '../storage/index.ts'],
    ['src/core/http/range.ts', '../../lock/index.ts'],
    ['src/core/key.ts', '../protocol/events.ts'],
    ['src/protocol/events.ts', '../storage/index.ts'],
    ['src/protocol/control-protocol.ts', '../client/index.ts'],
    ['src/sw/handler.ts', '../client/index.ts'],
    ['src/client/index.ts', '../inspector/index.ts'],
    ['src/sw/handler.ts', '../inspector/index.ts'],
    ['src/inspector/element.ts', '../client/index.ts'],
    ['src/inspector/element.ts', '../sw/index.ts'],
  ])('%s may not import %s', (file, specifier) => {
    expect(violations(file, specifier)).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['src/core/http-cache.ts', './storage.ts'],
    ['src/core/http/range.ts', '../meta.ts'],
    ['src/protocol/events.ts', '../core/key.ts'],
    ['src/storage/wrappers/announcing.ts', '../../protocol/events.ts'],
    ['src/storage/idb/idb-remote-follow.test.ts', '../../lock/testing/fake-channel.ts'],
    ['src/storage/idb/idb.ts', '../../core/platform.ts'],
    ['src/lock/web-locks.ts', '../core/platform.ts'],
    ['src/client/index.ts', '../protocol/control-protocol.ts'],
    ['src/inspector/element.ts', '../protocol/control-protocol.ts'],
    ['src/sw/cache-runtime.ts', '../storage/index.ts'],
    ['src/sw/cache-runtime.ts', '../lock/index.ts'],
    ['src/sw/cache-runtime.ts', '../eviction/index.ts'],
  ])('%s may import %s', (file, specifier) => {
    expect(violations(file, specifier)).toEqual([]);
  });
});
