/**
 * The upkeep of sparse entries (partial content) that every `IdbStorage` does, with or without
 * the `partialContent()` feature: a worker without it may share a database written by one with
 * it, so its purge, clear and orphan collection delete pieces too (`idb.ts`). Small on purpose,
 * for the worker without the feature: records are checked only for what deleting needs.
 */
import { inTransaction, type IdbConnection } from './idb-connection.ts';
import { isKey } from './idb-record-check.ts';
import { chunkRange, type SparseRecord } from './idb-schema.ts';

/** What deleting a sparse entry needs of its record: its key and where its pieces are. */
export type SparseRef = Pick<SparseRecord, 'hash' | 'key' | 'bodyId'>;

/**
 * `value` as a {@link SparseRef} when it has the fields deleting needs (the feature checks the
 * rest, `sparse-record-check.ts`, before it reads a piece); `hash`: the key it was read under.
 */
export function sparseRef(value: unknown, hash?: string): SparseRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<Record<keyof SparseRef, unknown>>;
  const ok =
    typeof record.hash === 'string' &&
    (hash === undefined || record.hash === hash) &&
    typeof record.bodyId === 'string' &&
    isKey(record.key);
  return ok ? (value as SparseRef) : undefined;
}

/**
 * Deletes sparse records without a key or body id, and the pieces no sparse record names (left by nothing the
 * storage does, since a record and its pieces change in one transaction; but a database can
 * be written by anyone). Returns the number of pieces deleted.
 */
export function collectOrphanPieces(connection: IdbConnection): Promise<number> {
  return connection.run('collecting orphan pieces', async (db) => {
    const tx = db.transaction(['sparse', 'pieces'], 'readwrite');
    return inTransaction(tx, async () => {
      const sparse = tx.objectStore('sparse');
      const pieces = tx.objectStore('pieces');
      const named = new Set<string>();
      for (const hash of await sparse.getAllKeys()) {
        const record = sparseRef(await sparse.get(hash), hash);
        if (record === undefined) await sparse.delete(hash);
        else named.add(record.bodyId);
      }
      const orphans = new Set<string>();
      for (const [bodyId] of await pieces.getAllKeys()) {
        if (!named.has(bodyId)) orphans.add(bodyId);
      }
      let removed = 0;
      for (const bodyId of orphans) {
        removed += await pieces.count(chunkRange(bodyId));
        await pieces.delete(chunkRange(bodyId));
      }
      return removed;
    });
  });
}
