import { describe, expect, it, vi } from 'vitest';
import { readAll } from '../core/storage.ts';
import { layeredStorage } from './layered-storage.ts';
import { MemoryStorage } from './memory/memory.ts';
import { newIdb } from './testing/idb.ts';
import { bytes, keyOf, metaOf, store } from './testing/support.ts';

/** The worker's stack (see cache-runtime.ts) over a memory layer taking bodies up to 8 bytes. */
function workerStack() {
  const memory = new MemoryStorage({ maxBodyBytes: 8 });
  const idb = newIdb();
  const posted: unknown[] = [];
  const storage = layeredStorage({
    memory,
    durable: idb,
    makeRoom: async () => {},
    channel: { postMessage: (message) => posted.push(message) },
    source: 'test',
    log: () => undefined,
  });
  return { memory, idb, storage, posted };
}

// Each capability crosses the wrappers the worker builds: a wrapper that dropped one would make
// these readers miss (and download again) or lose the access recency.
describe('the worker storage stack', () => {
  it('lets a reader in this worker follow an IndexedDB write that memory refused', async () => {
    const { storage, posted } = workerStack();
    const key = keyOf('/large');
    const miss = await storage.getMissHandler(key, metaOf(200, [['content-length', '20']]));
    const reader = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.idb');
    const reading = readAll(reader!.hit);
    for (let i = 0; i < 20; i += 4) await miss.write(bytes(4, i));
    await miss.finish();
    expect(await reading).toEqual(bytes(20));
    expect(posted).toHaveLength(1);
  });

  it('moves a memory follower to IndexedDB when memory drops a body that grew too large', async () => {
    const { storage } = workerStack();
    const key = keyOf('/grew');
    const miss = await storage.getMissHandler(key, metaOf());
    const reader = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.memory');
    const reading = readAll(reader!.hit);
    for (let i = 0; i < 30; i += 3) await miss.write(bytes(3, i));
    await miss.finish();
    expect(await reading).toEqual(bytes(30));
  });

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
});
