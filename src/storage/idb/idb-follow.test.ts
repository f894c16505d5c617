import { describe, expect, it } from 'vitest';
import type { Storage } from '../../core/storage.ts';
import { StorageError, readAll } from '../../core/storage.ts';
import { CompositionStorage } from '../composition/composition.ts';
import { layeredStorage } from '../layered-storage.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { bytes, isPending, keyOf, metaOf } from '../testing/support.ts';
import { newIdb } from '../testing/idb.ts';

describe('IdbStorage writes in progress in this context', () => {
  it('are followed chunk by chunk and end exactly with the write', async () => {
    const idb = newIdb();
    const key = keyOf('/follow');
    expect(idb.lookupWriteInProgress(key)).toBeNull();
    const miss = await idb.getMissHandler(key, metaOf(203));
    const found = idb.lookupWriteInProgress(key);
    expect(found?.meta.status).toBe(203);
    const hit = found!.hit;
    expect(hit.size).toBeUndefined();

    const first = hit.readBody();
    expect(await isPending(first)).toBe(true); // nothing stored yet
    await miss.write(bytes(6)); // one full chunk stored, 2 bytes held by the rechunker
    expect(await first).toEqual(bytes(4));
    const second = hit.readBody();
    expect(await isPending(second)).toBe(true);
    await miss.write(bytes(3, 6));
    await miss.finish();
    expect(await second).toEqual(bytes(4, 4));
    expect(await hit.readBody()).toEqual(bytes(1, 8));
    expect(await hit.readBody()).toBeNull();
    expect(hit.size).toBe(9);
    expect(idb.lookupWriteInProgress(key)).toBeNull();
  });

  it('fail when the write is aborted, never ending short', async () => {
    const idb = newIdb();
    const key = keyOf('/aborted');
    const miss = await idb.getMissHandler(key, metaOf());
    const hit = idb.lookupWriteInProgress(key)!.hit;
    await miss.write(bytes(4));
    expect(await hit.readBody()).toEqual(bytes(4));
    // Observed before the abort, which settles it while the abort is still deleting chunks.
    const next = expect(hit.readBody()).rejects.toBeInstanceOf(StorageError);
    await miss.abort();
    await next;
  });

  it('are followed from a given byte, to the end of the write', async () => {
    const idb = newIdb();
    const key = keyOf('/midway');
    const miss = await idb.getMissHandler(key, metaOf());
    await miss.write(bytes(10));
    const midway = idb.lookupWriteInProgress(key, 5);
    await miss.write(bytes(4, 10));
    await miss.finish();
    expect(await readAll(midway!.hit)).toEqual(bytes(9, 5));
  });
});

/** The bare composition, and the stack the worker runs (whose wrappers must forward the follow). */
const STACKS: [string, (memory: MemoryStorage) => Storage][] = [
  ['CompositionStorage', (memory) => new CompositionStorage(memory, newIdb())],
  [
    'the worker storage stack',
    (memory) =>
      layeredStorage({
        memory,
        durable: newIdb(),
        makeRoom: () => Promise.resolve(),
        channel: { postMessage: () => undefined },
        source: 'test',
        log: () => undefined,
      }),
  ],
];

describe.each(STACKS)('%s with a body memory refuses', (_name, stack) => {
  it('lets readers follow the IndexedDB write when memory refused it up front', async () => {
    const memory = new MemoryStorage({ maxBodyBytes: 8 });
    const storage = stack(memory);
    const key = keyOf('/declared-large');
    const meta = metaOf(200, [['content-length', '20']]);
    const miss = await storage.getMissHandler(key, meta);
    const reader = await storage.lookup(key);
    const another = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.idb');
    expect(another?.hit.source).toBe('composition.idb');
    const reading = readAll(reader!.hit);
    for (let i = 0; i < 20; i += 3) await miss.write(bytes(Math.min(3, 20 - i), i));
    await miss.finish();
    expect(await reading).toEqual(bytes(20));
    expect(await readAll(another!.hit)).toEqual(bytes(20));
  });

  it('switches a memory follower to IndexedDB when memory drops a body that grew too large', async () => {
    const storage = stack(new MemoryStorage({ maxBodyBytes: 8 }));
    const key = keyOf('/grew-large');
    const miss = await storage.getMissHandler(key, metaOf()); // no Content-Length
    const reader = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.memory');
    const reading = readAll(reader!.hit);
    for (let i = 0; i < 30; i += 3) await miss.write(bytes(3, i));
    await miss.finish();
    expect(await reading).toEqual(bytes(30));
  });
});

describe('QuotaRetryStorage', () => {
  it('forwards the writes in progress of the storage it wraps', async () => {
    const { QuotaRetryStorage } = await import('../wrappers/quota-retry.ts');
    const idb = newIdb();
    const wrapped = new QuotaRetryStorage(idb, { makeRoom: () => Promise.resolve() });
    const key = keyOf('/wrapped');
    const miss = await wrapped.getMissHandler(key, metaOf());
    const storage = new CompositionStorage(new MemoryStorage({ maxBodyBytes: 1 }), wrapped);
    const reader = await storage.lookup(key);
    expect(reader?.hit.source).toBe('composition.idb');
    await miss.write(bytes(5));
    await miss.finish();
    expect(await readAll(reader!.hit)).toEqual(bytes(5));
  });
});
