import { forceCloseDatabase } from 'fake-indexeddb';
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { variantHash } from '../../core/key.ts';
import { StorageError, readAll } from '../../core/storage.ts';
import { chunkLength } from './chunk-data.ts';
import { isQuotaExceeded } from '../errors.ts';
import type { CacheDbSchema } from './idb-schema.ts';
import { bodyOf, bytes, keyOf, metaOf, store } from '../testing/support.ts';
import { newDbName, newIdb as newStorage } from '../testing/idb.ts';

/** Everything stored in the database, read with a separate connection. */
async function contents(name: string) {
  const db = await openDB<CacheDbSchema>(name);
  const meta = await db.getAll('meta');
  const chunks = await db.getAll('body');
  db.close();
  return { meta, chunks };
}

/** Counts the transactions opened on any database, by mode. */
function spyTransactions() {
  return vi.spyOn(IDBDatabase.prototype, 'transaction');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IdbStorage lookup and write', () => {
  // memory.test.ts opens with the same scenario on purpose: each storage, its own label and chunks.
  it('misses, then serves the whole body after finish, labelled idb', async () => {
    const storage = newStorage();
    const key = keyOf('/a');
    expect(await storage.lookup(key)).toBeNull();
    const miss = await storage.getMissHandler(key, metaOf(201));
    await miss.write(bytes(3));
    await miss.write(bytes(7, 3));
    expect(await miss.finish()).toBe(10);
    const found = await storage.lookup(key);
    expect(found?.meta.status).toBe(201);
    expect(found?.hit.source).toBe('idb');
    expect(found?.hit.size).toBe(10);
    expect(await readAll(found!.hit)).toEqual(bytes(10));
    expect(storage.supportsStreamingPartialWrite).toBe(false);
    const { chunks } = await contents(storage.name);
    expect(chunks.map((c) => chunkLength(c.data))).toEqual([4, 4, 2]);
  });

  it('stores a body smaller than one chunk together with its meta in one transaction', async () => {
    const storage = newStorage({ chunkSize: 64 });
    await storage.lookup(keyOf('/warm')); // opens the connection
    const transactions = spyTransactions();
    await store(storage, keyOf('/small'), bytes(20), 5);
    expect(transactions.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(1);
    expect(await bodyOf(storage, keyOf('/small'))).toEqual(bytes(20));
  });

  it('keeps a body invisible until finish: lookups see nothing, or the previous entry', async () => {
    const storage = newStorage();
    const key = keyOf('/atomic');
    const miss = await storage.getMissHandler(key, metaOf(200));
    await miss.write(bytes(9));
    expect(await storage.lookup(key)).toBeNull();
    expect((await contents(storage.name)).chunks).toHaveLength(2); // chunks landed, unseen
    await miss.finish();
    expect(await bodyOf(storage, key)).toEqual(bytes(9));

    const replacing = await storage.getMissHandler(key, metaOf(203));
    await replacing.write(bytes(13, 100));
    const during = await storage.lookup(key);
    expect(during?.meta.status).toBe(200);
    expect(await readAll(during!.hit)).toEqual(bytes(9));
    await replacing.finish();
    const after = await storage.lookup(key);
    expect(after?.meta.status).toBe(203);
    expect(await readAll(after!.hit)).toEqual(bytes(13, 100));
    // The previous body was deleted with the flip.
    expect((await contents(storage.name)).chunks).toHaveLength(4);
  });

  it('abort leaves nothing behind', async () => {
    const storage = newStorage();
    const miss = await storage.getMissHandler(keyOf('/gone'), metaOf());
    await miss.write(bytes(10));
    await miss.abort(new Error('client went away'));
    expect(await storage.lookup(keyOf('/gone'))).toBeNull();
    expect(await contents(storage.name)).toEqual({ meta: [], chunks: [] });
    await expect(miss.write(bytes(1))).rejects.toBeInstanceOf(StorageError);
  });

  it('fails finish when the entry was purged during the write', async () => {
    const storage = newStorage();
    const key = keyOf('/race');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(bytes(9));
    expect(await storage.purge(key, 'invalidation')).toBe(true);
    await expect(miss.finish()).rejects.toBeInstanceOf(StorageError);
    expect(await storage.lookup(key)).toBeNull();
    expect(await contents(storage.name)).toEqual({ meta: [], chunks: [] });
  });

  it('stores a body smaller than a chunk without counting its chunks (nothing to have lost)', async () => {
    const storage = newStorage();
    const key = keyOf('/whole');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(bytes(3));
    const counts = vi.spyOn(IDBObjectStore.prototype, 'count');
    expect(await miss.finish()).toBe(3);
    expect(counts).not.toHaveBeenCalled();
    counts.mockRestore();
    expect(await readAll((await storage.lookup(key))!.hit)).toEqual(bytes(3));
  });
});

describe('IdbStorage seek', () => {
  it('reads only the bytes a range needs, from the chunk handles the lookup read', async () => {
    const storage = newStorage();
    const key = keyOf('/range');
    await store(storage, key, bytes(40), 9);
    const hit = (await storage.lookup(key))!.hit;
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get');
    const reads = vi.spyOn(Blob.prototype, 'arrayBuffer');
    hit.seek(13, 22); // bytes 13..21: chunks 3, 4, 5
    expect(await readAll(hit)).toEqual(bytes(9, 13));
    expect(gets).not.toHaveBeenCalled();
    // Three reads (of chunks 3, 4 and 5), of the 9 bytes asked for: no other byte is read.
    const sizes = await Promise.all(
      reads.mock.results.map(async (r) => (await (r.value as Promise<ArrayBuffer>)).byteLength),
    );
    expect(sizes).toEqual([3, 4, 2]);
  });

  it('rejects ranges outside the body', async () => {
    const storage = newStorage();
    await store(storage, keyOf('/r'), bytes(10));
    const hit = (await storage.lookup(keyOf('/r')))!.hit;
    expect(hit.canSeek).toBe(true);
    expect(() => hit.seek(2, 11)).toThrow(RangeError);
    hit.seek(10);
    expect(await hit.readBody()).toBeNull();
  });

  it('keeps a reader on the body it found when the entry is replaced under it, never a mix', async () => {
    const storage = newStorage();
    const key = keyOf('/swap');
    await store(storage, key, bytes(12));
    const hit = (await storage.lookup(key))!.hit;
    expect(await hit.readBody()).toEqual(bytes(4));
    await store(storage, key, bytes(12, 7));
    // The chunk handles were read with the lookup: the rest is the old body, whole.
    expect(await readAll(hit)).toEqual(bytes(8, 4));
    expect(await bodyOf(storage, key)).toEqual(bytes(12, 7));
  });
});

describe('IdbStorage meta, purge and listing', () => {
  it('updateMeta rewrites the meta without touching the body', async () => {
    const storage = newStorage();
    const key = keyOf('/u');
    expect(await storage.updateMeta(key, metaOf(204))).toBe(false);
    await store(storage, key, bytes(10));
    const puts = vi.spyOn(IDBObjectStore.prototype, 'put');
    expect(await storage.updateMeta(key, metaOf(204))).toBe(true);
    expect(puts.mock.contexts.map((s) => (s as IDBObjectStore).name)).toEqual(['meta']);
    const found = await storage.lookup(key);
    expect(found?.meta.status).toBe(204);
    expect(await readAll(found!.hit)).toEqual(bytes(10));
  });

  it('purge removes meta and chunks; purgeVariants removes every variant of a URL', async () => {
    const storage = newStorage();
    await store(storage, keyOf('/p'), bytes(10));
    await store(storage, keyOf('/v', 'a'), bytes(5));
    await store(storage, keyOf('/v', 'b'), bytes(6));
    await store(storage, keyOf('/other'), bytes(3));
    expect(await storage.purge(keyOf('/p'), 'invalidation')).toBe(true);
    expect(await storage.purge(keyOf('/p'), 'invalidation')).toBe(false);
    expect(await storage.purgeVariants(keyOf('/v'))).toBe(2);
    const left = await contents(storage.name);
    expect(left.meta.map((m) => m.key.primary)).toEqual(['https://example.test/other']);
    expect(left.chunks).toHaveLength(1);
  });

  it('lists complete entries without their bodies, and clears everything', async () => {
    const storage = newStorage();
    await store(storage, keyOf('/1'), bytes(10));
    const pending = await storage.getMissHandler(keyOf('/2'), metaOf());
    await pending.write(bytes(8)); // in progress: not listed
    const listed = await storage.listMeta();
    expect(listed.map((e) => [e.key.primary, e.size])).toEqual([['https://example.test/1', 10]]);
    await storage.clear();
    expect(await storage.listMeta()).toEqual([]);
    expect(await contents(storage.name)).toEqual({ meta: [], chunks: [] });
    await expect(pending.finish()).rejects.toBeInstanceOf(StorageError);
  });

  it('lists more entries than one listing transaction reads (500), each once', async () => {
    const storage = newStorage();
    const count = 1203;
    for (let i = 0; i < count; i++) await store(storage, keyOf(`/many-${i}`), bytes(1 + (i % 3)));
    const listed = await storage.listMeta();
    expect(listed).toHaveLength(count);
    expect(new Set(listed.map((e) => e.key.primary)).size).toBe(count);
    expect(listed.reduce((sum, e) => sum + e.size, 0)).toBe(401 * (1 + 2 + 3));
  });
});

describe('IdbStorage orphan collection', () => {
  it('deletes the chunks of a write whose worker stopped, and spares complete entries and live writers', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const name = newDbName();
    const stopped = newStorage({ name, now: clock });
    await store(stopped, keyOf('/kept'), bytes(10));
    const dropped = await stopped.getMissHandler(keyOf('/half'), metaOf());
    await dropped.write(bytes(12)); // 3 chunks, then the worker "stops": no finish, no abort
    await stopped.close();

    now += 11 * 60 * 1000; // past staleWriterMs
    const restarted = newStorage({ name, now: clock });
    const live = await restarted.getMissHandler(keyOf('/live'), metaOf());
    await live.write(bytes(8));
    expect(await restarted.collectOrphans()).toBe(3);
    expect(await restarted.collectOrphans()).toBe(0);
    await live.finish();
    expect(await bodyOf(restarted, keyOf('/kept'))).toEqual(bytes(10));
    expect(await bodyOf(restarted, keyOf('/live'))).toEqual(bytes(8));
    const left = await contents(name);
    expect(left.chunks).toHaveLength(3 + 2);
    expect(left.meta.every((m) => m.complete === 1 && m.writers.length === 0)).toBe(true);
  });

  it('spares a recent writer of another context, and runs by itself at open', async () => {
    let now = 5_000;
    const name = newDbName();
    const other = newStorage({ name, now: () => now });
    const writing = await other.getMissHandler(keyOf('/slow'), metaOf());
    await writing.write(bytes(8));
    const second = newStorage({ name, now: () => now, collectOrphansOnOpen: true });
    expect(await second.collectOrphans()).toBe(0); // heartbeat is recent
    now += 11 * 60 * 1000;
    const third = newStorage({
      name,
      now: () => now,
      collectOrphansOnOpen: true,
      collectOrphansDelayMs: 50,
    });
    await third.lookup(keyOf('/any')); // opens, which schedules the collection
    expect((await contents(name)).chunks).toHaveLength(2); // not at once: after the delay
    await vi.waitFor(async () => expect((await contents(name)).chunks).toHaveLength(0));
  });
});

describe('IdbStorage connection robustness', () => {
  it('reopens lazily after the browser closed the connection', async () => {
    const storage = newStorage();
    const opens = vi.spyOn(indexedDB, 'open');
    await store(storage, keyOf('/c'), bytes(6));
    const request = opens.mock.results[0]?.value as IDBOpenDBRequest;
    forceCloseDatabase(request.result as never);
    expect(await bodyOf(storage, keyOf('/c'))).toEqual(bytes(6));
    expect(opens).toHaveBeenCalledTimes(2);
  });

  it('opens ahead of the first lookup when asked, and the lookup uses that connection', async () => {
    const storage = newStorage();
    const opens = vi.spyOn(indexedDB, 'open');
    await storage.open();
    expect(opens).toHaveBeenCalledTimes(1);
    expect(await storage.lookup(keyOf('/o'))).toBeNull();
    expect(opens).toHaveBeenCalledTimes(1);
  });

  it('closes itself on versionchange so another context can upgrade or delete, then reopens', async () => {
    const storage = newStorage();
    await store(storage, keyOf('/c'), bytes(6));
    const blocked = vi.fn();
    await deleteDB(storage.name, { blocked });
    expect(blocked).not.toHaveBeenCalled();
    expect(await storage.lookup(keyOf('/c'))).toBeNull(); // a fresh, empty database
    await store(storage, keyOf('/c'), bytes(3));
    expect(await bodyOf(storage, keyOf('/c'))).toEqual(bytes(3));
  });

  it('turns QuotaExceededError into a StorageError that keeps the cause, and stores nothing', async () => {
    const storage = newStorage();
    const realPut = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'put')!
      .value as IDBObjectStore['put'];
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'body')
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    const big = await storage.getMissHandler(keyOf('/big'), metaOf());
    const failure = await big.write(bytes(9)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect(isQuotaExceeded(failure)).toBe(true);
    expect(((failure as StorageError).cause as DOMException).name).toBe('QuotaExceededError');

    const small = await storage.getMissHandler(keyOf('/small'), metaOf());
    await small.write(bytes(2));
    await expect(small.finish()).rejects.toSatisfy(isQuotaExceeded);
    vi.restoreAllMocks();
    expect(await contents(storage.name)).toEqual({ meta: [], chunks: [] });
  });
});

describe('IdbStorage access write-back', () => {
  it('batches many touches into one transaction per flush and never revives a purged entry', async () => {
    let now = 1000;
    const storage = newStorage({ now: () => now, accessFlushDelayMs: 60_000 });
    const keys = [keyOf('/1'), keyOf('/2'), keyOf('/3')];
    for (const key of keys) await store(storage, key, bytes(2));
    await storage.purge(keys[2]!, 'eviction');
    const transactions = spyTransactions();
    now = 5000;
    for (let i = 0; i < 50; i++) storage.touch(keys[i % 3]!);
    expect(transactions).not.toHaveBeenCalled();
    await storage.flush();
    expect(transactions).toHaveBeenCalledTimes(1);
    const { meta } = await contents(storage.name);
    expect(meta.map((m) => m.lastAccess)).toEqual([5000, 5000]);
    expect(meta.map((m) => m.hash).sort()).toEqual(
      [variantHash(keys[0]!), variantHash(keys[1]!)].sort(),
    );
  });

  it('flushes by itself after the delay; hits count as accesses and listMeta shows pending ones', async () => {
    let now = 1000;
    const storage = newStorage({ now: () => now, accessFlushDelayMs: 20 });
    await store(storage, keyOf('/a'), bytes(2));
    now = 2000;
    await bodyOf(storage, keyOf('/a'));
    expect((await storage.listMeta())[0]?.lastAccess).toBe(2000);
    await vi.waitFor(async () =>
      expect((await contents(storage.name)).meta[0]?.lastAccess).toBe(2000),
    );
  });
});
