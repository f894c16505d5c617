/**
 * Compaction: once its write is done, a body stored as several Blob chunks is rewritten as one
 * Blob, one chunk whose `chunkSize` is the body's size (the size is stored per entry, so no
 * schema change). Measured (docs/benchmarks.md, "Where a hit's time goes"): the page reads a body
 * of one IndexedDB Blob about as fast as Workbox's Cache Storage body, one made of 4 or 40 chunk
 * Blobs markedly slower, and the worker handles one handle per hit instead of one per chunk.
 * Ranges still read only their bytes (`IdbHitHandler` slices the Blob).
 *
 * The cost: the bytes are written once more (IndexedDB copies a Blob into its own file), in the
 * background, and lookups wait while the one transaction that stores the copy commits.
 *
 * Safety: the copy is made from the chunk handles, checked whole like a lookup checks them, and
 * flipped in only if the entry still points to the same body; the old chunks are deleted in the
 * same transaction. Readers that hold every chunk handle of a Blob body (browsers keep the files)
 * are not cut; readers in this context that follow the write chunk by chunk pin the body and it
 * is not compacted under them; other readers that read chunks from the database as they go
 * (following the write from another context, or a hit of a body of more chunks than a lookup
 * reads ahead) find the chunk they need gone and go on from the compacted Blob, which the entry
 * names by `writtenAs` ({@link readCompacted}).
 *
 * Resuming: a compaction lost with a stopped worker (the copy of a large body takes seconds, and a
 * stop ends it) is done again after the body's next hit ({@link leftInChunks}): only bodies that
 * are read again pay the copy.
 */
import { StorageError } from '../../core/storage.ts';
import type { IdbConnection } from './idb-connection.ts';
import { inTransaction, readInTransaction } from './idb-connection.ts';
import { readWholeBody } from './idb-entry-read.ts';
import { expectedChunks, validMetaRecord } from './idb-record-check.ts';
import type { IDBPTransaction } from 'idb';
import type { CacheDbSchema, MetaRecord } from './idb-schema.ts';
import { chunkRange } from './idb-schema.ts';

/**
 * How long after a hit found a body in chunks (stored before compaction, or its compaction lost
 * with a stopped worker) it is compacted, in ms, counted from that hit's release: after its own
 * read, not beside it. A write's body is compacted as soon as the write finished (the worker may
 * be stopped soon).
 */
export const COMPACT_DELAY_MS = 1000;

/**
 * Whether a lookup found a complete body still in several Blob chunks (stored before compaction,
 * or its compaction lost): chunk 0, which every lookup reads, tells the form (one body has one);
 * the record tells how many chunks, however few of them the lookup read ahead.
 */
export function leftInChunks(record: MetaRecord, chunks: readonly unknown[]): boolean {
  return expectedChunks(record) > 1 && chunks[0] instanceof Blob;
}

/** A compacted body, as a reader of its old chunks goes on from it. */
export interface CompactedBody {
  readonly bodyId: string;
  readonly size: number;
  readonly whole: Blob;
}

/**
 * The compacted body of entry `hash` when it is the body the write `writtenAs` stored (the entry
 * names it so) and is there whole; else `undefined`. For readers that found their next chunk gone.
 */
export function readCompacted(
  connection: Pick<IdbConnection, 'run'>,
  hash: string,
  writtenAs: string,
): Promise<CompactedBody | undefined> {
  return connection.run('reading a compacted body', async (db) => {
    const tx = db.transaction(['meta', 'body'], 'readonly');
    return readInTransaction(tx, () => compactedIn(tx, hash, writtenAs));
  });
}

/** {@link readCompacted} inside a transaction on `meta` and `body`. */
export async function compactedIn(
  tx: IDBPTransaction<CacheDbSchema, ['meta', 'body'], IDBTransactionMode>,
  hash: string,
  writtenAs: string,
): Promise<CompactedBody | undefined> {
  const record = validMetaRecord(await tx.objectStore('meta').get(hash), hash);
  if (record?.complete !== 1 || record.writtenAs !== writtenAs) return undefined;
  const whole = (await tx.objectStore('body').get([record.bodyId, 0]))?.data;
  if (!(whole instanceof Blob) || whole.size !== record.size) return undefined;
  return { bodyId: record.bodyId, size: record.size, whole };
}

export interface CompactionContext {
  readonly connection: Pick<IdbConnection, 'run'>;
  /** Body ids that readers in this context read chunk by chunk: never compacted under them. */
  readonly pinned: (bodyId: string) => boolean;
}

/**
 * Rewrites the complete body `bodyId` of the entry `hash` as one Blob chunk under a new body id.
 * Resolves `true` when it did; `false` when there is nothing to do (the entry changed, the body
 * is one chunk or stored as bytes, a chunk is missing, a reader pins it).
 */
export async function compactBody(
  { connection, pinned }: CompactionContext,
  hash: string,
  bodyId: string,
): Promise<boolean> {
  if (pinned(bodyId)) return false;
  const whole = await connection.run('reading a body to compact', async (db) => {
    const tx = db.transaction(['meta', 'body'], 'readonly');
    return readInTransaction(tx, async () => {
      const record = validMetaRecord(await tx.objectStore('meta').get(hash), hash);
      if (record?.complete !== 1 || record.bodyId !== bodyId) return undefined;
      const expected = expectedChunks(record);
      if (expected < 2) return undefined;
      const chunks = await readWholeBody(tx.objectStore('body'), record);
      if (chunks?.length !== expected) return undefined; // stored as bytes, or not whole
      const lengthsRight = chunks.every(
        (data, seq) =>
          data instanceof Blob &&
          data.size === Math.min(record.chunkSize, record.size - seq * record.chunkSize),
      );
      return lengthsRight ? new Blob(chunks as Blob[]) : undefined;
    });
  });
  if (whole === undefined) return false;
  const compacted = crypto.randomUUID();
  return connection.run('compacting a body', async (db) => {
    const tx = db.transaction(['meta', 'body'], 'readwrite');
    return inTransaction(tx, async () => {
      const meta = tx.objectStore('meta');
      const current = validMetaRecord(await meta.get(hash), hash);
      if (current?.complete !== 1 || current.bodyId !== bodyId || pinned(bodyId)) return false;
      if (current.size !== whole.size) throw new StorageError('the body to compact changed size');
      const body = tx.objectStore('body');
      await body.put({ bodyId: compacted, seq: 0, data: whole });
      await meta.put({
        ...current,
        bodyId: compacted,
        chunkSize: current.size,
        writtenAs: current.writtenAs ?? bodyId,
      });
      await body.delete(chunkRange(bodyId));
      return true;
    });
  });
}
