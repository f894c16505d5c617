import { describe, expect, it } from 'vitest';
import type { CacheKey } from '../../core/key.ts';
import type { LookupResult, Storage } from '../../core/storage.ts';
import { readAll } from '../../core/storage.ts';
import { CompositionStorage } from './composition.ts';
import { RacingCompositionStorage } from './racing-composition.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { bytes, keyOf, metaOf } from '../testing/support.ts';
import { newIdb } from '../testing/idb.ts';
import { ForwardingStorage } from '../wrappers/forwarding.ts';

/** `storage`, whose lookups run `during` before they answer. */
function withHook(storage: Storage, during: () => Promise<void>): Storage {
  return new (class extends ForwardingStorage {
    override async lookup(key: CacheKey): Promise<LookupResult | null> {
      await during();
      return super.lookup(key);
    }
  })(storage);
}

describe.each([
  ['CompositionStorage', CompositionStorage],
  ['RacingCompositionStorage', RacingCompositionStorage],
])('%s lookup', (_name, Composition) => {
  it('finds a write that started in memory while IndexedDB was being read', async () => {
    const idb = newIdb();
    const memory = new MemoryStorage();
    const key = keyOf('/started-meanwhile');
    let writing: Promise<unknown> | undefined;
    // The writer of this worker starts its write (and releases the lock) during the L2 read.
    const l2 = withHook(idb, async () => {
      writing ??= memory.getMissHandler(key, metaOf()).then(async (miss) => {
        await miss.write(bytes(5));
        await miss.finish();
      });
      await writing;
    });
    const storage = new Composition(memory, l2);

    const found = await storage.lookup(key);
    expect(found).not.toBeNull();
    expect(found?.hit.source).toBe('composition.memory');
    expect(await readAll(found!.hit)).toEqual(bytes(5));
  });

  it('still misses when no layer has the key', async () => {
    const idb = newIdb();
    const storage = new Composition(new MemoryStorage(), idb);
    expect(await storage.lookup(keyOf('/nothing'))).toBeNull();
  });
});
