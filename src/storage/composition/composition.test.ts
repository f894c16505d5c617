import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CacheKey } from '../../core/key.ts';
import type { LookupResult, Storage } from '../../core/storage.ts';
import { StorageError, readAll } from '../../core/storage.ts';
import type { CompositionOptions } from './composition.ts';
import { CompositionStorage } from './composition.ts';
import { RacingCompositionStorage } from './racing-composition.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { bodyOf, bytes, isPending, keyOf, metaOf, store } from '../testing/support.ts';
import type { IdbStorage } from '../idb/idb.ts';
import { newIdb } from '../testing/idb.ts';

function layers(memory = new MemoryStorage()) {
  return { memory, idb: newIdb() };
}

function compose(options: CompositionOptions = {}, memory = new MemoryStorage()) {
  const { idb } = layers();
  return { memory, idb, storage: new CompositionStorage(memory, idb, options) };
}

/** A storage whose lookups answer only after `ms`. */
function delayed(storage: Storage, ms: number): Storage {
  const wait = () => new Promise((resolve) => setTimeout(resolve, ms));
  return Object.assign(Object.create(storage) as Storage, {
    lookup: async (key: CacheKey): Promise<LookupResult | null> => {
      await wait();
      return storage.lookup(key);
    },
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('CompositionStorage writes and labels', () => {
  it('writes to both layers and labels hits by the layer that served them', async () => {
    const { memory, idb, storage } = compose();
    expect(storage.label).toBe('composition');
    expect(storage.supportsStreamingPartialWrite).toBe(true);
    await store(storage, keyOf('/a'), bytes(10));
    expect(await bodyOf(memory, keyOf('/a'))).toEqual(bytes(10));
    expect(await bodyOf(idb, keyOf('/a'))).toEqual(bytes(10));
    const hit = (await storage.lookup(keyOf('/a')))!.hit;
    expect(hit.source).toBe('composition.memory');

    // A new worker: empty memory in front of the same database.
    const restarted = new CompositionStorage(new MemoryStorage(), idb);
    const fromDisk = (await restarted.lookup(keyOf('/a')))!.hit;
    expect(fromDisk.source).toBe('composition.idb');
    expect(await readAll(fromDisk)).toEqual(bytes(10));
  });

  it("with write 'l2-only' leaves memory to refills and does not offer streaming", async () => {
    const { memory, idb, storage } = compose({ write: 'l2-only', refill: 'never' });
    expect(storage.supportsStreamingPartialWrite).toBe(false);
    await store(storage, keyOf('/a'), bytes(5));
    expect(await memory.lookup(keyOf('/a'))).toBeNull();
    expect(await bodyOf(idb, keyOf('/a'))).toEqual(bytes(5));
  });

  // As memory.test.ts follows a write, on purpose: here through the composition.
  it('lets readers in this worker follow a write through memory', async () => {
    const { storage } = compose();
    const key = keyOf('/s');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(Uint8Array.of(1, 2));
    const follower = await storage.lookup(key);
    expect(follower?.hit.source).toBe('composition.memory');
    const hit = follower!.hit;
    expect(await hit.readBody()).toEqual(Uint8Array.of(1, 2));
    const next = hit.readBody();
    expect(await isPending(next)).toBe(true);
    await miss.write(Uint8Array.of(3));
    expect(await next).toEqual(Uint8Array.of(3));
    await miss.finish();
    expect(await hit.readBody()).toBeNull();
    // After the write, its entry is found in memory first, then in the database.
    expect((await storage.lookup(key))?.hit.source).toBe('composition.memory');
    await storage.l1.purge(key, 'eviction');
    const fromDisk = await storage.lookup(key);
    expect(fromDisk?.hit.source).toBe('composition.idb');
    expect(fromDisk?.hit.size).toBe(3);
  });

  it('starts the memory write before the IndexedDB one, so a reader meanwhile follows memory', async () => {
    const { memory, idb } = layers();
    let startL2!: () => void;
    const l2Started = new Promise<void>((resolve) => (startL2 = resolve));
    // IndexedDB registering its write for other contexts takes several tasks.
    const slowGetMissHandler = async (...args: Parameters<IdbStorage['getMissHandler']>) => {
      const handler = await idb.getMissHandler(...args);
      await l2Started;
      return handler;
    };
    const slowStart = new Proxy(idb, {
      get: (target, name) => {
        if (name === 'getMissHandler') return slowGetMissHandler;
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const storage = new CompositionStorage(memory, slowStart);
    const key = keyOf('/starting');
    const starting = storage.getMissHandler(key, metaOf());
    await new Promise((resolve) => setTimeout(resolve, 0));
    const reader = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.memory');
    startL2();
    const miss = await starting;
    await miss.write(Uint8Array.of(1));
    expect(await reader!.hit.readBody()).toEqual(Uint8Array.of(1));
    await miss.finish();
    expect(await reader!.hit.readBody()).toBeNull();
  });

  it('keeps writing to IndexedDB when memory refuses the body, and reports it', async () => {
    const onError = vi.fn();
    const { memory, idb, storage } = compose({ onError }, new MemoryStorage({ maxBodyBytes: 6 }));
    await store(storage, keyOf('/big'), bytes(20), 4);
    expect(onError).toHaveBeenCalledWith(expect.any(StorageError), 'l1', 'write');
    expect(await memory.lookup(keyOf('/big'))).toBeNull();
    expect(await bodyOf(idb, keyOf('/big'))).toEqual(bytes(20));
  });

  it('keeps the body in memory when IndexedDB fails, and fails only when both layers fail', async () => {
    const onError = vi.fn();
    const { memory, storage } = compose({ onError }, new MemoryStorage({ maxBodyBytes: 12 }));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await store(storage, keyOf('/mem'), bytes(10), 5);
    expect(onError).toHaveBeenCalledWith(expect.any(StorageError), 'l2', 'write');
    expect(await bodyOf(memory, keyOf('/mem'))).toEqual(bytes(10));
    await expect(store(storage, keyOf('/none'), bytes(20), 5)).rejects.toBeInstanceOf(StorageError);
    expect(await memory.lookup(keyOf('/none'))).toBeNull();
  });

  it('purges and updates meta in both layers', async () => {
    const { memory, idb, storage } = compose();
    await store(storage, keyOf('/p'), bytes(4));
    expect(await storage.updateMeta(keyOf('/p'), metaOf(299))).toBe(true);
    expect((await memory.lookup(keyOf('/p')))?.meta.status).toBe(299);
    expect((await idb.lookup(keyOf('/p')))?.meta.status).toBe(299);
    expect(await storage.purge(keyOf('/p'), 'invalidation')).toBe(true);
    expect(await memory.lookup(keyOf('/p'))).toBeNull();
    expect(await idb.lookup(keyOf('/p'))).toBeNull();
    expect(await storage.purge(keyOf('/p'), 'invalidation')).toBe(false);
  });
});

describe('CompositionStorage refill', () => {
  it('copies an IndexedDB hit into memory as the reader reads it, published only when whole', async () => {
    const { memory, idb } = layers();
    await store(idb, keyOf('/r'), bytes(10));
    const storage = new CompositionStorage(memory, idb);
    const hit = (await storage.lookup(keyOf('/r')))!.hit;
    const reads = vi.spyOn(Blob.prototype, 'arrayBuffer');
    expect(await hit.readBody()).toEqual(bytes(4));
    expect(await memory.lookup(keyOf('/r'))).toBeNull(); // a half copy is never visible
    expect(await readAll(hit)).toEqual(bytes(6, 4));
    expect(reads).toHaveBeenCalledTimes(3); // the body was read once: each of its three chunks
    const again = (await storage.lookup(keyOf('/r')))!.hit;
    expect(again.source).toBe('composition.memory');
    expect(await readAll(again)).toEqual(bytes(10));
  });

  it('drops the copy when the reader reads a range or stops early', async () => {
    const { memory, idb } = layers();
    await store(idb, keyOf('/r'), bytes(10));
    const storage = new CompositionStorage(memory, idb);
    const ranged = (await storage.lookup(keyOf('/r')))!.hit;
    ranged.seek(2, 6);
    expect(await readAll(ranged)).toEqual(bytes(4, 2));
    expect(await memory.lookup(keyOf('/r'))).toBeNull();
    const early = (await storage.lookup(keyOf('/r')))!.hit;
    await early.readBody();
    await early.finish();
    expect(await memory.lookup(keyOf('/r'))).toBeNull();
    expect(memory.byteSize).toBe(0);
  });

  it("with refill 'never' leaves memory alone", async () => {
    const { memory, idb } = layers();
    await store(idb, keyOf('/r'), bytes(10));
    const storage = new CompositionStorage(memory, idb, { refill: 'never' });
    expect(await bodyOf(storage, keyOf('/r'))).toEqual(bytes(10));
    expect(await memory.lookup(keyOf('/r'))).toBeNull();
  });
});

describe('CompositionStorage read policies', () => {
  it('sequential reads memory first; race takes the first layer to answer', async () => {
    const { memory, idb } = layers();
    await store(memory, keyOf('/x'), bytes(3));
    await store(idb, keyOf('/x'), bytes(3));
    const slowMemory = delayed(memory, 30);
    const sequential = new CompositionStorage(slowMemory, idb);
    expect((await sequential.lookup(keyOf('/x')))?.hit.source).toBe('composition.memory');
    const race = new RacingCompositionStorage(slowMemory, idb);
    const won = (await race.lookup(keyOf('/x')))!.hit;
    expect(won.source).toBe('composition.idb');
    expect(await readAll(won)).toEqual(bytes(3));
    // Memory had it: a race won by IndexedDB does not copy the body again.
    expect(memory.entryCount).toBe(1);
  });

  it('race falls back to the slower layer when the faster one misses, and misses when both do', async () => {
    const { memory, idb } = layers();
    await store(memory, keyOf('/only-memory'), bytes(2));
    const race = new RacingCompositionStorage(delayed(memory, 20), idb);
    expect((await race.lookup(keyOf('/only-memory')))?.hit.source).toBe('composition.memory');
    expect(await race.lookup(keyOf('/nowhere'))).toBeNull();
  });

  it('reads a failing memory layer as a miss, but reports IndexedDB failures to the caller', async () => {
    const onError = vi.fn();
    const { memory, idb } = layers();
    await store(idb, keyOf('/f'), bytes(4));
    vi.spyOn(memory, 'lookup').mockRejectedValue(new Error('boom'));
    const storage = new CompositionStorage(memory, idb, { onError, refill: 'never' });
    expect((await storage.lookup(keyOf('/f')))?.hit.source).toBe('composition.idb');
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 'l1', 'lookup');
    vi.spyOn(idb, 'lookup').mockRejectedValue(new StorageError('db broken'));
    await expect(storage.lookup(keyOf('/f'))).rejects.toBeInstanceOf(StorageError);
  });

  it('records memory hits as accesses in IndexedDB', async () => {
    const { storage, idb } = compose();
    await store(storage, keyOf('/t'), bytes(2));
    const touch = vi.spyOn(idb, 'touch');
    await bodyOf(storage, keyOf('/t'));
    expect(touch).toHaveBeenCalledWith(keyOf('/t'));
  });
});
