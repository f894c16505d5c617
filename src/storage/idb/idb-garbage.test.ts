import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { variantHash } from '../../core/key.ts';
import { validMetaRecord } from './idb-record-check.ts';
import type { MetaRecord } from './idb-schema.ts';
import { bodyOf, bytes, keyOf, metaOf, store } from '../testing/support.ts';
import { newIdb as newStorage } from '../testing/idb.ts';

/** Raw access to the `meta` store, as another context of the origin has it. */
async function withMeta<T>(name: string, work: (db: RawDb) => Promise<T>): Promise<T> {
  const db = (await openDB(name)) as unknown as RawDb;
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

interface RawDb {
  get(store: 'meta', key: string): Promise<unknown>;
  put(store: 'meta', value: unknown): Promise<unknown>;
  close(): void;
}

const readRecord = (name: string, hash: string) => withMeta(name, (db) => db.get('meta', hash));
const writeRecord = (name: string, record: unknown) =>
  withMeta(name, (db) => db.put('meta', record));

/** Ways another context can spoil the good record of a key (`other`: another key's record). */
const SPOILERS: Record<string, (good: MetaRecord, other: MetaRecord) => unknown> = {
  'key null': (good) => ({ ...good, key: null }),
  'meta a string': (good) => ({ ...good, meta: 'garbage' }),
  'headers of the wrong type': (good) => ({ ...good, meta: { ...good.meta, headers: [[1, 2]] } }),
  'a status out of range': (good) => ({ ...good, meta: { ...good.meta, status: 42 } }),
  'freshness as a string': (good) => ({ ...good, meta: { ...good.meta, freshUntil: 'soon' } }),
  'a huge size': (good) => ({ ...good, size: 1e15 }),
  'a negative size': (good) => ({ ...good, size: -1 }),
  'size a string': (good) => ({ ...good, size: String(good.size) }),
  'chunkSize zero': (good) => ({ ...good, chunkSize: 0 }),
  'writers not a list': (good) => ({ ...good, writers: 'x' }),
  'a writer without a heartbeat': (good) => ({ ...good, writers: [{ bodyId: 'w' }] }),
  'complete a string': (good) => ({ ...good, complete: 'yes' }),
  'another key than its hash': (good, other) => ({ ...other, hash: good.hash }),
  'only a hash': (good) => ({ hash: good.hash }),
};

describe('validMetaRecord', () => {
  it('accepts what the storage writes and rejects each way of spoiling it', async () => {
    const storage = newStorage();
    const key = keyOf('/good');
    await store(storage, key, bytes(10));
    await store(storage, keyOf('/other'), bytes(3));
    const good = validMetaRecord(await readRecord(storage.name, variantHash(key)));
    const other = validMetaRecord(await readRecord(storage.name, variantHash(keyOf('/other'))));
    expect(good).toBeDefined();
    expect(other).toBeDefined();
    expect(validMetaRecord(good, 'another hash')).toBeUndefined();
    for (const [name, spoil] of Object.entries(SPOILERS)) {
      if (name === 'a huge size') continue; // well-formed: lookup finds its chunks missing
      expect(validMetaRecord(spoil(good!, other!)), name).toBeUndefined();
    }
    expect(validMetaRecord(null)).toBeUndefined();
    expect(validMetaRecord('record')).toBeUndefined();
  });
});

describe('IdbStorage with garbage in its meta store', () => {
  for (const [name, spoil] of Object.entries(SPOILERS)) {
    it(`${name}: a miss, then the next write replaces it`, async () => {
      const storage = newStorage();
      const key = keyOf(`/spoiled`);
      const other = keyOf('/other');
      await store(storage, key, bytes(10));
      await store(storage, other, bytes(3));
      const good = (await readRecord(storage.name, variantHash(key))) as MetaRecord;
      const otherRecord = (await readRecord(storage.name, variantHash(other))) as MetaRecord;
      await writeRecord(storage.name, spoil(good, otherRecord));

      expect(await storage.lookup(key)).toBeNull();
      expect((await storage.listMeta()).map((e) => e.key.primary)).toEqual([other.primary]);
      // A well-formed record that lies about its body is only caught where chunks are counted.
      if (name !== 'a huge size') expect(await storage.updateMeta(key, metaOf(203))).toBe(false);

      await store(storage, key, bytes(9, 50));
      expect(await bodyOf(storage, key)).toEqual(bytes(9, 50));
      expect(validMetaRecord(await readRecord(storage.name, variantHash(key)))).toBeDefined();
    });
  }

  it('a complete record whose chunks are missing is a miss, not a body that breaks off', async () => {
    const storage = newStorage();
    const key = keyOf('/chunks');
    await store(storage, key, bytes(10));
    const good = (await readRecord(storage.name, variantHash(key))) as MetaRecord;
    await writeRecord(storage.name, { ...good, bodyId: 'no-such-body' });
    expect(await storage.lookup(key)).toBeNull();
    await writeRecord(storage.name, { ...good, size: 30 }); // claims chunks that are not there
    expect(await storage.lookup(key)).toBeNull();
    await writeRecord(storage.name, good);
    expect(await bodyOf(storage, key)).toEqual(bytes(10));
  });

  it('collectOrphans deletes malformed records and the chunks only they pointed to', async () => {
    const storage = newStorage();
    const key = keyOf('/collected');
    const kept = keyOf('/kept');
    await store(storage, key, bytes(10));
    await store(storage, kept, bytes(5));
    const good = (await readRecord(storage.name, variantHash(key))) as MetaRecord;
    await writeRecord(storage.name, { ...good, meta: null });
    await writeRecord(storage.name, { hash: 'stray', key: 'x', size: 'y', writers: null });

    expect(await storage.collectOrphans()).toBe(3); // the 10-byte body in 4-byte chunks
    expect(await readRecord(storage.name, variantHash(key))).toBeUndefined();
    expect(await readRecord(storage.name, 'stray')).toBeUndefined();
    expect(await bodyOf(storage, kept)).toEqual(bytes(5));
  });
});
