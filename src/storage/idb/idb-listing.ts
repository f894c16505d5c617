/**
 * Listing what the IndexedDB storage holds without reading a body: the complete entries (for
 * eviction and the page API) and the variants of one URL (for a vary-miss's validators). Only
 * what `lookup` would serve is listed: well-formed records with every chunk of their body there,
 * so a damaged record claiming a huge size never makes eviction empty the cache.
 */
import type { CacheKey } from '../../core/key.ts';
import { primaryHash, sameUrl } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { StoredVariant } from '../../core/storage.ts';
import type { AccessWriteBack } from './access-writeback.ts';
import { inTransaction, type IdbConnection } from './idb-connection.ts';
import { expectedChunks, validMetaRecord } from './idb-record-check.ts';
import { chunkRange } from './idb-schema.ts';
import { mapMetaBatches } from './meta-batches.ts';

/** A stored entry as listed for the eviction manager, without its body. */
export interface StoredEntryInfo {
  readonly key: CacheKey;
  readonly meta: CacheMeta;
  /** Bytes stored (for a sparse entry, the bytes it holds). */
  readonly size: number;
  readonly lastAccess: number;
  /** Set for a sparse entry (partial content): the full length of its representation. */
  readonly length?: number;
}

/** Meta records read per transaction by {@link listCompleteEntries}. */
const LIST_BATCH = 500;

/**
 * Every complete entry with its size and last access (a pending one included), read in
 * transactions of `LIST_BATCH` records, so lookups are never queued behind one long listing.
 */
export function listCompleteEntries(
  connection: IdbConnection,
  access: AccessWriteBack,
): Promise<StoredEntryInfo[]> {
  return mapMetaBatches(connection, 'listing entries', LIST_BATCH, async (batch, body) => {
    const whole: StoredEntryInfo[] = [];
    for (const { record } of batch) {
      if (record?.complete !== 1) continue;
      if ((await body.count(chunkRange(record.bodyId))) !== expectedChunks(record)) continue;
      const { key, meta, size, lastAccess, hash } = record;
      whole.push({ key, meta, size, lastAccess: Math.max(lastAccess, access.pending(hash) ?? 0) });
    }
    return whole;
  });
}

/** The complete entries of `key`'s URL, in one read transaction over the primary-hash index. */
export function listUrlVariants(
  connection: IdbConnection,
  key: CacheKey,
): Promise<readonly StoredVariant[]> {
  return connection.run('listing variants', async (db) => {
    const tx = db.transaction(['meta', 'body'], 'readonly');
    return inTransaction(tx, async () => {
      const found = await tx.objectStore('meta').index('byPrimary').getAll(primaryHash(key));
      const body = tx.objectStore('body');
      const listed: StoredVariant[] = [];
      for (const record of found.map((r) => validMetaRecord(r))) {
        if (record?.complete !== 1 || !sameUrl(record.key, key)) continue;
        if ((await body.count(chunkRange(record.bodyId))) !== expectedChunks(record)) continue;
        listed.push({ key: record.key, meta: record.meta });
      }
      return listed;
    });
  });
}
