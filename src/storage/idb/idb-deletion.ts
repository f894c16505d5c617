/**
 * Deleting from the IndexedDB storage: one entry, every variant of a URL, everything. Complete
 * entries and sparse ones (`docs/partial-content.md`) go in the same transaction, so a reader
 * never finds one without the other.
 */
import type { CacheKey } from '../../core/key.ts';
import { keysEqual, primaryHash, sameUrl, variantHash } from '../../core/key.ts';
import type { AccessWriteBack } from './access-writeback.ts';
import { inTransaction, type IdbConnection } from './idb-connection.ts';
import { chunkRange, type MetaRecord } from './idb-schema.ts';
import { validMetaRecord } from './idb-record-check.ts';
import { deleteSparseRecord } from './idb-sparse-delete.ts';
import { sparseRef } from './sparse-upkeep.ts';

const ALL_STORES = ['meta', 'body', 'sparse', 'pieces'] as const;

/** Deletes the meta and every body of `key` (complete or being written) and its pieces. */
export function purgeEntry(
  connection: IdbConnection,
  access: AccessWriteBack,
  key: CacheKey,
): Promise<boolean> {
  const hash = variantHash(key);
  access.forget(hash);
  return connection.run('purging an entry', async (db) => {
    const tx = db.transaction(ALL_STORES, 'readwrite');
    return inTransaction(tx, async () => {
      const sparse = sparseRef(await tx.objectStore('sparse').get(hash), hash);
      const partial = sparse !== undefined && keysEqual(sparse.key, key);
      if (partial) {
        await deleteSparseRecord(tx.objectStore('sparse'), tx.objectStore('pieces'), sparse);
      }
      const record = validMetaRecord(await tx.objectStore('meta').get(hash), hash);
      if (record === undefined || !keysEqual(record.key, key)) return partial;
      await deleteRecordAndBodies(tx.objectStore('meta'), tx.objectStore('body'), record);
      return true;
    });
  });
}

/** Purges every variant of `key`'s URL (via the primary-hash index); returns how many. */
export function purgeUrlVariants(
  connection: IdbConnection,
  access: AccessWriteBack,
  key: CacheKey,
): Promise<number> {
  return connection.run('purging variants', async (db) => {
    const tx = db.transaction(ALL_STORES, 'readwrite');
    return inTransaction(tx, async () => {
      const sparse = tx.objectStore('sparse');
      for (const record of (await sparse.index('byPrimary').getAll(primaryHash(key))).map((r) =>
        sparseRef(r),
      )) {
        if (record?.key.namespace !== key.namespace || record.key.primary !== key.primary) {
          continue;
        }
        await deleteSparseRecord(sparse, tx.objectStore('pieces'), record);
      }
      const meta = tx.objectStore('meta');
      const found = await meta.index('byPrimary').getAll(primaryHash(key));
      let purged = 0;
      for (const record of found.map((r) => validMetaRecord(r))) {
        if (record === undefined || !sameUrl(record.key, key)) continue;
        access.forget(record.hash);
        await deleteRecordAndBodies(meta, tx.objectStore('body'), record);
        purged++;
      }
      return purged;
    });
  });
}

/** Deletes every entry, body and piece (writes in progress fail at `finish`). */
export function clearStores(connection: IdbConnection, access: AccessWriteBack): Promise<void> {
  access.forgetAll();
  return connection.run('clearing the cache', async (db) => {
    const tx = db.transaction(ALL_STORES, 'readwrite');
    await inTransaction(tx, async () => {
      for (const store of ALL_STORES) await tx.objectStore(store).clear();
    });
  });
}

interface DeletableStore<K> {
  delete(key: K | IDBKeyRange): Promise<void>;
}

/** A complete entry's meta and chunks, and the chunks of every write it lists. */
async function deleteRecordAndBodies(
  meta: DeletableStore<string>,
  body: DeletableStore<[string, number]>,
  record: MetaRecord,
): Promise<void> {
  if (record.complete === 1) await body.delete(chunkRange(record.bodyId));
  for (const writer of record.writers) await body.delete(chunkRange(writer.bodyId));
  await meta.delete(record.hash);
}
