/**
 * Reading every `meta` record in short transactions: one transaction over 10,000 entries held
 * the first hits after a start for seconds (lookups queue behind a long readwrite transaction, and
 * a huge read blocks the worker while it is deserialised); batches let lookups in between. Used by
 * the eviction listing and by orphan collection.
 */
import type { IDBPObjectStore } from 'idb';
import type { IdbConnection } from './idb-connection.ts';
import { inTransaction } from './idb-connection.ts';
import { validMetaRecord } from './idb-record-check.ts';
import type { CacheDbSchema, MetaRecord } from './idb-schema.ts';

/** A record as read: its key, and the record when it is well-formed (else `undefined`). */
export interface ReadMeta {
  readonly hash: string;
  readonly record: MetaRecord | undefined;
}

/** The `body` store, readable in the batch's transaction. */
export type BatchBodyStore = IDBPObjectStore<CacheDbSchema, ['meta', 'body'], 'body', 'readonly'>;

/**
 * Every `meta` record, `batchSize` per readonly transaction over `meta` and `body`, in key order.
 * `visit` runs inside each batch's transaction (it may read `body` there, and must await nothing
 * but its requests) and returns what it keeps of the batch; the results are concatenated.
 */
export async function mapMetaBatches<T>(
  connection: Pick<IdbConnection, 'run'>,
  doing: string,
  batchSize: number,
  visit: (batch: readonly ReadMeta[], body: BatchBodyStore) => Promise<readonly T[]>,
): Promise<T[]> {
  const kept: T[] = [];
  let after: string | undefined;
  for (;;) {
    const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
    const { last, results } = await connection.run(doing, async (db) => {
      const tx = db.transaction(['meta', 'body'], 'readonly');
      return inTransaction(tx, async () => {
        const meta = tx.objectStore('meta');
        const [keys, values] = await Promise.all([
          meta.getAllKeys(range, batchSize),
          meta.getAll(range, batchSize),
        ]);
        const batch = keys.map((hash, i) => ({ hash, record: validMetaRecord(values[i], hash) }));
        const results = await visit(batch, tx.objectStore('body'));
        return { last: keys.length < batchSize ? undefined : keys.at(-1), results };
      });
    });
    kept.push(...results);
    if (last === undefined) return kept;
    after = last;
  }
}
