import { describe, expect, it, vi } from 'vitest';
import type * as KeyModule from '../core/key.ts';
import { MemoryStorage } from './memory/memory.ts';
import { bodyOf, bytes, keyOf, store } from './testing/support.ts';
import { newIdb } from './testing/idb.ts';

// Every key gets the same hashes: only the full-key comparison keeps entries apart.
vi.mock('../core/key.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof KeyModule>();
  return { ...actual, variantHash: () => 'same', primaryHash: () => 'same' };
});

describe.each([
  ['memory', () => new MemoryStorage()],
  ['idb', () => newIdb()],
])('%s storage with colliding hashes', (_name, create) => {
  it('never serves one key for another', async () => {
    const storage = create();
    await store(storage, keyOf('/one'), bytes(5));
    expect(await storage.lookup(keyOf('/two'))).toBeNull();
    expect(
      await storage.updateMeta(keyOf('/two'), (await storage.lookup(keyOf('/one')))!.meta),
    ).toBe(false);
    expect(await storage.purge(keyOf('/two'), 'invalidation')).toBe(false);
    expect(await bodyOf(storage, keyOf('/one'))).toEqual(bytes(5));
    await store(storage, keyOf('/two'), bytes(6, 9)); // replaces the colliding entry
    expect(await storage.lookup(keyOf('/one'))).toBeNull();
    expect(await bodyOf(storage, keyOf('/two'))).toEqual(bytes(6, 9));
  });

  it('never lists one URL’s entry as another’s variant', async () => {
    const storage = create();
    await store(storage, keyOf('/one', 'a'), bytes(5));
    expect(await storage.listVariants(keyOf('/two'))).toEqual([]);
    expect((await storage.listVariants(keyOf('/one'))).map(({ key }) => key)).toEqual([
      keyOf('/one', 'a'),
    ]);
  });
});
