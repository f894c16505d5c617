import { describe, expect, it, vi } from 'vitest';
import { readAll } from '../core/storage.ts';
import { sparseEntries } from './idb/idb-sparse.ts';
import { layeredStorage } from './layered-storage.ts';
import { MemoryStorage } from './memory/memory.ts';
import { newIdb } from './testing/idb.ts';
import { bytes, keyOf, metaOf, store } from './testing/support.ts';

/**
 * The worker's stack (see cache-runtime.ts) over a memory layer taking bodies up to 8 bytes,
 * with the partial-content code (`partialContent()`).
 */
function workerStack() {
  const memory = new MemoryStorage({ maxBodyBytes: 8 });
  const idb = newIdb({ partialContent: sparseEntries });
  const storage = layeredStorage({
    memory,
    durable: idb,
    makeRoom: () => Promise.resolve(),
    channel: { postMessage: () => undefined },
    source: 'test',
    log: () => undefined,
  });
  return { memory, idb, storage };
}

// Each capability crosses the wrappers the worker builds: a wrapper that dropped one would lose
// the access recency or the refill (following a write in progress: idb/idb-follow.test.ts).
describe('the worker storage stack', () => {
  it('records a memory hit in IndexedDB for eviction recency', async () => {
    const { idb, storage } = workerStack();
    const key = keyOf('/small');
    await store(storage, key, bytes(5));
    const touch = vi.spyOn(idb, 'touch');
    const found = await storage.lookup(key);
    expect(found?.hit.source).toBe('composition.memory');
    expect(touch).toHaveBeenCalledWith(key);
    await found!.hit.finish();
  });

  it('refills memory from an IndexedDB hit with a write lookups do not follow', async () => {
    const { memory, idb, storage } = workerStack();
    const key = keyOf('/refill');
    await store(idb, key, bytes(6));
    const refill = vi.spyOn(memory, 'getRefillHandler');
    const found = await storage.lookup(key);
    expect(found?.hit.source).toBe('composition.idb');
    expect(refill).toHaveBeenCalledOnce();
    expect(await readAll(found!.hit)).toEqual(bytes(6));
    await found!.hit.finish();
    expect((await storage.lookup(key))?.hit.source).toBe('composition.memory');
  });

  it('lists a URL’s variants from IndexedDB’s index, across the wrappers', async () => {
    const { idb, storage } = workerStack();
    await store(idb, keyOf('/v', 'a'), bytes(3));
    await store(idb, keyOf('/v', 'b'), bytes(3));
    const list = vi.spyOn(idb, 'listVariants');
    const listed = await storage.listVariants(keyOf('/v'));
    expect(list).toHaveBeenCalledOnce();
    expect(listed.map(({ key }) => key.variance).sort()).toEqual(['a', 'b']);
  });

  it('keeps partial content in IndexedDB, through the wrappers, labelled by the composition', async () => {
    const { memory, storage } = workerStack();
    const key = keyOf('/partial');
    const writer = await storage.getPieceWriter(key, {
      meta: metaOf(),
      representation: { length: 10, validator: { etag: '"a"' } },
      offset: 2,
    });
    await writer.write(bytes(3, 2));
    expect(await writer.finish()).toBe('partial');
    const found = await storage.lookupSparse(key);
    expect(found?.hit.source).toBe('composition.idb');
    expect(found?.spans).toEqual([{ start: 2, end: 5 }]);
    found!.hit.seek(2, 5);
    expect(await readAll(found!.hit)).toEqual(bytes(3, 2));
    expect(memory.entryCount).toBe(0);
    expect(await storage.purge(key, 'invalidation')).toBe(true);
    expect(await storage.lookupSparse(key)).toBeNull();
  });
});
