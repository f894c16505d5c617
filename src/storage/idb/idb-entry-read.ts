/**
 * What a lookup reads in its one read-only transaction: the meta record, and the body's chunks as
 * far as they are cheap to read, so that a hit needs no second transaction. Reading them is also
 * the check that a complete body is whole: one missing a chunk is never served (it would break
 * off mid-body).
 */
import type { IDBPObjectStore } from 'idb';
import type { ChunkRecord, CacheDbSchema, MetaRecord } from './idb-schema.ts';
import { chunkRange } from './idb-schema.ts';
import { expectedChunks } from './idb-record-check.ts';

/** The `body` store in a lookup's transaction. */
export type LookupBodyStore = IDBPObjectStore<CacheDbSchema, ['meta', 'body'], 'body', 'readonly'>;

/**
 * The first chunks of `record`'s complete body, read now (their `data`, by `seq` from 0), when
 * every chunk of it is there; `undefined` when one is missing. Read: the one chunk of a body of
 * one chunk, and every chunk of a body stored as Blobs (handles: no bytes are read); of a longer
 * body stored as bytes (written before Blobs, or where the database refuses them) only chunk 0,
 * and the others are counted, so such a body is never read whole here.
 */
export async function readWholeBody(
  body: LookupBodyStore,
  record: MetaRecord,
): Promise<unknown[] | undefined> {
  const expected = expectedChunks(record);
  if (expected === 0) return [];
  const first = (await body.get([record.bodyId, 0]))?.data;
  if (first === undefined) return undefined;
  if (expected === 1) return [first];
  if (!(first instanceof Blob)) {
    const count = await body.count(chunkRange(record.bodyId));
    return count === expected ? [first] : undefined;
  }
  const rest: ChunkRecord[] = await body.getAll(chunkRange(record.bodyId, 1));
  // The key range keeps them in `seq` order; a gap or an extra chunk is not the stored body.
  const inOrder = rest.length === expected - 1 && rest.every((chunk, i) => chunk.seq === i + 1);
  return inOrder ? [first, ...rest.map((chunk) => chunk.data)] : undefined;
}
