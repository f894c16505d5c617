import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import type { CacheKey } from '../../core/key.ts';
import { StorageError, readAll } from '../../core/storage.ts';
import { LOOKUP_READ_AHEAD_CHUNKS } from './idb-entry-read.ts';
import type { IdbStorage } from './idb.ts';
import type { CacheDbSchema, ChunkRecord, MetaRecord } from './idb-schema.ts';
import { bodyOf, bytes, keyOf, metaOf, store } from '../testing/support.ts';
import { newIdb, putEntry } from '../testing/idb.ts';

/** 4-byte chunks, compaction on, at once also after a hit. */
function newStorage(): IdbStorage {
  return newIdb({ compactBodies: true, compactDelayMs: 0 });
}

async function contents(name: string): Promise<{ meta: MetaRecord[]; chunks: ChunkRecord[] }> {
  const db = await openDB<CacheDbSchema>(name);
  const meta = await db.getAll('meta');
  const chunks = await db.getAll('body');
  db.close();
  return { meta, chunks };
}

/** Waits until the database holds `count` chunks. */
async function untilChunks(name: string, count: number): Promise<ChunkRecord[]> {
  let chunks: ChunkRecord[] = [];
  await vi.waitFor(async () => {
    chunks = (await contents(name)).chunks;
    expect(chunks).toHaveLength(count);
  });
  return chunks;
}

describe('IdbStorage compaction', () => {
  it('rewrites a finished body of several Blob chunks as one Blob, read as before', async () => {
    const storage = newStorage();
    const key = keyOf('/c');
    const miss = await store(storage, key, bytes(10), 3);
    const [chunk] = await untilChunks(storage.name, 1);
    expect(chunk!.data).toBeInstanceOf(Blob);
    expect((chunk!.data as Blob).size).toBe(10);
    const [record] = (await contents(storage.name)).meta;
    expect(record).toMatchObject({ chunkSize: 10, size: 10, writtenAs: miss.bodyId });
    expect(record!.bodyId).not.toBe(miss.bodyId);

    expect(await bodyOf(storage, key)).toEqual(bytes(10));
    const ranged = (await storage.lookup(key))!.hit;
    const reads = vi.spyOn(Blob.prototype, 'arrayBuffer');
    ranged.seek(3, 7);
    expect(await readAll(ranged)).toEqual(bytes(4, 3));
    const read = await Promise.all(
      reads.mock.results.map(async (r) => (await (r.value as Promise<ArrayBuffer>)).byteLength),
    );
    expect(read).toEqual([4]); // only the range's bytes
    const whole = await (await storage.lookup(key))!.hit.blob?.();
    expect(new Uint8Array(await whole!.arrayBuffer())).toEqual(bytes(10));
    expect(await storage.listMeta()).toMatchObject([{ key, size: 10 }]);
  });

  it('leaves a body alone while a reader in this context follows its write chunk by chunk', async () => {
    const storage = newStorage();
    const key = keyOf('/followed');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(bytes(8));
    const follower = storage.lookupWriteInProgress(key)!.hit;
    await miss.write(bytes(4, 8));
    await miss.finish();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await contents(storage.name)).chunks).toHaveLength(3);
    expect(await readAll(follower)).toEqual(bytes(12));
    await follower.finish();
    // The next hit finds it in chunks and has it compacted.
    expect(await bodyOf(storage, key)).toEqual(bytes(12));
    await untilChunks(storage.name, 1);
    expect(await bodyOf(storage, key)).toEqual(bytes(12));
  });

  it('does not compact a body an entry no longer points to, nor touch its replacement', async () => {
    const storage = newIdb({ compactBodies: true, compactDelayMs: 50 });
    const key = keyOf('/replaced');
    await store(storage, key, bytes(10), 3);
    await store(storage, key, bytes(10, 5), 3);
    // Two compactions were scheduled; the first finds its body replaced.
    await untilChunks(storage.name, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await contents(storage.name)).chunks).toHaveLength(1);
    expect(await bodyOf(storage, key)).toEqual(bytes(10, 5));
  });

  it('compacts, on its first hit, a body stored in chunks by the current release', async () => {
    const storage = newStorage();
    await storage.lookup(keyOf('/warm')); // creates the schema
    const key = keyOf('/today');
    await putEntry(storage.name, key, {
      bodyId: 'today-body',
      chunkSize: 4,
      chunks: [new Blob([bytes(4).slice()]), new Blob([bytes(2, 4).slice()])],
    });
    expect(await bodyOf(storage, key)).toEqual(bytes(6));
    await untilChunks(storage.name, 1);
    expect(await bodyOf(storage, key)).toEqual(bytes(6));
    expect((await contents(storage.name)).meta[0]).toMatchObject({ writtenAs: 'today-body' });
  });

  describe('a body of more Blob chunks than a lookup reads ahead (its compaction lost)', () => {
    const count = LOOKUP_READ_AHEAD_CHUNKS + 4;
    const size = 4 * count;
    const chunks = Array.from({ length: count }, (_, i) => new Blob([bytes(4, 4 * i).slice()]));

    async function storeInChunks(storage: IdbStorage, path: string): Promise<CacheKey> {
      await storage.lookup(keyOf('/warm')); // creates the schema
      const key = keyOf(path);
      await putEntry(storage.name, key, { bodyId: 'lost', chunkSize: 4, chunks });
      return key;
    }

    it('is compacted after its next hit', async () => {
      const storage = newStorage();
      const key = await storeInChunks(storage, '/lost');
      expect(await bodyOf(storage, key)).toEqual(bytes(size));
      await untilChunks(storage.name, 1);
      expect(await bodyOf(storage, key)).toEqual(bytes(size));
      expect((await contents(storage.name)).meta[0]).toMatchObject({ chunkSize: size });
    });

    it('is read on from the compacted Blob by hits that read its chunks as they go', async () => {
      const storage = newStorage();
      const key = await storeInChunks(storage, '/read-slowly');
      const reader = (await storage.lookup(key))!.hit;
      const first = await reader.readBody(); // chunk 0, read by the lookup
      const ranged = (await storage.lookup(key))!.hit;
      ranged.seek(size - 6, size - 1);
      // Another context's hit has it compacted under them (this one's are not released yet).
      const other = newIdb({ name: storage.name, compactBodies: true, compactDelayMs: 0 });
      expect(await bodyOf(other, key)).toEqual(bytes(size));
      await untilChunks(storage.name, 1);
      const rest = await readAll(reader); // chunk 1 on: gone, read from the compacted Blob
      expect(new Uint8Array([...first!, ...rest])).toEqual(bytes(size));
      const part = await ranged.blob!();
      expect(new Uint8Array(await part!.arrayBuffer())).toEqual(bytes(size).subarray(-6, -1));
    });

    it('is not read on from a replacement of the entry', async () => {
      const storage = newStorage();
      const key = await storeInChunks(storage, '/replaced-under');
      const reader = (await storage.lookup(key))!.hit;
      await store(storage, key, bytes(size, 1), 4); // replaced, then compacted
      await untilChunks(storage.name, 1);
      await expect(readAll(reader)).rejects.toThrow(StorageError);
    });
  });

  it('does not compact a body of several chunks stored as bytes', async () => {
    const storage = newStorage();
    await storage.lookup(keyOf('/warm'));
    const key = keyOf('/bytes');
    await putEntry(storage.name, key, {
      bodyId: 'bytes-body',
      chunkSize: 4,
      chunks: [bytes(4), bytes(2, 4)],
    });
    expect(await bodyOf(storage, key)).toEqual(bytes(6));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await contents(storage.name)).chunks).toHaveLength(2);
  });
});
