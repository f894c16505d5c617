import { openDB, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { primaryHash, variantHash } from '../../core/key.ts';
import { bodyOf, bytes, keyOf, metaOf } from '../testing/support.ts';
import { closedAfterTest, newDbName } from '../testing/idb.ts';
import { toStorageError } from '../errors.ts';
import { IdbStorage } from './idb.ts';
import { MIGRATIONS, SCHEMA_VERSION, type CacheDb } from './idb-schema.ts';

const KEY = keyOf('/old');

/** A database as the previous release (schema version 1) wrote it: one entry of 10 bytes. */
async function writeVersion1(name: string): Promise<IDBPDatabase> {
  const db = await openDB(name, 1, {
    upgrade: (database, _old, _new, tx) =>
      MIGRATIONS[0]!(database as unknown as CacheDb, tx as never),
  });
  await db.put('meta', {
    hash: variantHash(KEY),
    primaryHash: primaryHash(KEY),
    key: KEY,
    meta: metaOf(),
    bodyId: 'old-body',
    size: 10,
    chunkSize: 4,
    complete: 1,
    writers: [],
    lastAccess: 1,
  });
  for (let seq = 0; seq < 3; seq++) {
    await db.put('body', { bodyId: 'old-body', seq, data: bytes(10).slice(seq * 4, seq * 4 + 4) });
  }
  return db;
}

describe('IndexedDB schema upgrade (v1 → v2)', () => {
  it('is version 2, with the stores of partial content', () => {
    expect(SCHEMA_VERSION).toBe(2);
  });

  it('serves the entries a version 1 database holds after the upgrade', async () => {
    const name = newDbName('upgrade');
    (await writeVersion1(name)).close();
    const storage = closedAfterTest(new IdbStorage({ name, collectOrphansOnOpen: false }));
    expect(await bodyOf(storage, KEY)).toEqual(bytes(10));
    expect(await storage.lookupSparse(KEY)).toBeNull();
    expect(await storage.collectOrphans()).toBe(0);
  });

  it('closes a previous release connection on the upgrade; reopening it fails as a StorageError', async () => {
    const name = newDbName('upgrade');
    const old = await writeVersion1(name);
    // What IdbConnection of the previous release does on `versionchange`: close, forget.
    let closedByUpgrade = false;
    old.addEventListener('versionchange', () => {
      closedByUpgrade = true;
      old.close();
    });
    const storage = closedAfterTest(new IdbStorage({ name, collectOrphansOnOpen: false }));
    expect(await bodyOf(storage, KEY)).toEqual(bytes(10));
    expect(closedByUpgrade).toBe(true);
    // Its next open asks for version 1 of a version 2 database: a VersionError, which that
    // release turns into a StorageError, and its fetch flow answers from the network.
    const reopened = openDB(name, 1).catch((error: unknown) => {
      throw toStorageError(error, 'opening IndexedDB');
    });
    await expect(reopened).rejects.toThrow(/VersionError/);
  });
});
