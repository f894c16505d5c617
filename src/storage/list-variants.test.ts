import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import type { Storage, StoredVariant } from '../core/storage.ts';
import { CompositionStorage } from './composition/composition.ts';
import type { CacheDbSchema } from './idb/idb-schema.ts';
import { MemoryStorage } from './memory/memory.ts';
import { newIdb } from './testing/idb.ts';
import { bareStorage, bytes, keyOf, metaOf, store } from './testing/support.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The listed keys' variances (`-` for the primary slot), sorted, with each meta's status. */
function summary(listed: readonly StoredVariant[]): string[] {
  return listed.map(({ key, meta }) => `${key.variance ?? '-'}:${meta.status}`).sort();
}

describe.each([
  ['MemoryStorage', (): Storage => new MemoryStorage()],
  ['IdbStorage', (): Storage => newIdb()],
  ['CompositionStorage', (): Storage => new CompositionStorage(new MemoryStorage(), newIdb())],
])('%s.listVariants', (_name, create) => {
  it('lists the primary slot and every variant of the URL, whatever the variance asked', async () => {
    const storage = create();
    await store(storage, keyOf('/v'), bytes(3), 7, metaOf(200));
    await store(storage, keyOf('/v', 'fr'), bytes(9), 4, metaOf(201));
    await store(storage, keyOf('/v', 'de'), bytes(2), 7, metaOf(202));
    await store(storage, keyOf('/other', 'fr'), bytes(2));
    await store(storage, { ...keyOf('/v', 'it'), namespace: 'elsewhere' }, bytes(2));
    for (const asked of [keyOf('/v'), keyOf('/v', 'it')]) {
      expect(summary(await storage.listVariants!(asked))).toEqual(['-:200', 'de:202', 'fr:201']);
    }
    expect(await storage.listVariants!(keyOf('/none'))).toEqual([]);
  });

  it('lists complete entries only: not a write in progress, not a purged entry', async () => {
    const storage = create();
    await store(storage, keyOf('/w', 'a'), bytes(3));
    const writing = await storage.getMissHandler(keyOf('/w', 'b'), metaOf());
    await writing.write(bytes(5));
    await store(storage, keyOf('/w', 'c'), bytes(3));
    await storage.purge(keyOf('/w', 'c'), 'invalidation');
    expect(summary(await storage.listVariants!(keyOf('/w')))).toEqual(['a:200']);
    await writing.finish();
    expect(summary(await storage.listVariants!(keyOf('/w')))).toEqual(['a:200', 'b:200']);
  });
});

describe('IdbStorage.listVariants', () => {
  it('reads in one readonly transaction and skips entries whose chunks are missing', async () => {
    const storage = newIdb();
    await store(storage, keyOf('/i', 'a'), bytes(10));
    await store(storage, keyOf('/i', 'b'), bytes(10));
    // Chunk 1 of `b`'s body is lost (a disk fault, a foreign write): lookup would not serve it.
    const db = await openDB<CacheDbSchema>(storage.name);
    const records = await db.getAll('meta');
    const b = records.find((r) => r.key.variance === 'b')!;
    await db.delete('body', [b.bodyId, 1]);
    await db.put('meta', { ...records[0]!, hash: 'malformed', key: 'not a key' } as never);
    db.close();
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    expect(summary(await storage.listVariants(keyOf('/i')))).toEqual(['a:200']);
    expect(transactions.mock.calls.map(([, mode]) => mode)).toEqual(['readonly']);
  });
});

describe('CompositionStorage.listVariants', () => {
  it('lists each variant once, memory’s copy first, and both layers’ own entries', async () => {
    const memory = new MemoryStorage();
    const idb = newIdb();
    const storage = new CompositionStorage(memory, idb);
    await store(storage, keyOf('/c', 'both'), bytes(3));
    await memory.updateMeta(keyOf('/c', 'both'), metaOf(299));
    await store(idb, keyOf('/c', 'disk'), bytes(3), 7, metaOf(201));
    await store(memory, keyOf('/c', 'ram'), bytes(3), 7, metaOf(202));
    expect(summary(await storage.listVariants(keyOf('/c')))).toEqual([
      'both:299',
      'disk:201',
      'ram:202',
    ]);
  });

  it('a layer without the capability adds its primary slot; a failing memory adds nothing', async () => {
    const idb = newIdb();
    const memory = new MemoryStorage();
    const onError = vi.fn();
    const bare = bareStorage(memory);
    await store(memory, keyOf('/b'), bytes(3), 7, metaOf(203));
    await store(memory, keyOf('/b', 'x'), bytes(3));
    await store(idb, keyOf('/b', 'y'), bytes(3), 7, metaOf(201));
    const storage = new CompositionStorage(bare, idb, { onError });
    expect(summary(await storage.listVariants(keyOf('/b', 'z')))).toEqual(['-:203', 'y:201']);

    const failing = new MemoryStorage();
    vi.spyOn(failing, 'listVariants').mockRejectedValue(new Error('memory broke'));
    const degraded = new CompositionStorage(failing, idb, { onError });
    expect(summary(await degraded.listVariants(keyOf('/b')))).toEqual(['y:201']);
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 'l1', 'listVariants');
  });

  it('fails when IndexedDB fails, as lookups do', async () => {
    const idb = newIdb();
    vi.spyOn(idb, 'listVariants').mockRejectedValue(new Error('disk broke'));
    const storage = new CompositionStorage(new MemoryStorage(), idb);
    await expect(storage.listVariants(keyOf('/f'))).rejects.toThrow('disk broke');
  });
});
