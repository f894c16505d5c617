/** Deleting a sparse entry and its pieces, inside a transaction of the caller's. */
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { CacheDbSchema, SparseRecord } from './idb-schema.ts';
import { chunkRange } from './idb-schema.ts';

/** The `sparse` store in a readwrite transaction that includes it. */
export type SparseStore = IDBPObjectStore<
  CacheDbSchema,
  ArrayLike<StoreNames<CacheDbSchema>>,
  'sparse',
  'readwrite'
>;

/** The `pieces` store in a readwrite transaction that includes it. */
export type WritablePiecesStore = IDBPObjectStore<
  CacheDbSchema,
  ArrayLike<StoreNames<CacheDbSchema>>,
  'pieces',
  'readwrite'
>;

/** Deletes `record` and its pieces (in the caller's readwrite transaction). */
export async function deleteSparseRecord(
  sparse: SparseStore,
  pieces: WritablePiecesStore,
  record: Pick<SparseRecord, 'hash' | 'bodyId'>,
): Promise<void> {
  await pieces.delete(chunkRange(record.bodyId));
  await sparse.delete(record.hash);
}
