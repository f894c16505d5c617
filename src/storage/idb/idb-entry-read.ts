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
 * Most Blob chunks a lookup reads ahead. A compacted body is one; more are left by a compaction
 * a stopped worker lost, and reading hundreds of handles (a 100 MB body in 256 KiB chunks) took
 * a 1 KB range three times as long as the same range of a 1 MB body: past this many, the hit
 * handler reads the chunks a read needs when it needs them.
 */
export const LOOKUP_READ_AHEAD_CHUNKS = 16;

/**
 * The first chunks of `record`'s complete body, read now (their `data`, by `seq` from 0), when
 * every chunk of it is there; `undefined` when one is missing. Read: the one chunk of a body of
 * one chunk, and every chunk of a body stored as Blobs (handles: no bytes are read), up to
 * `readAhead` of them; of a longer body (stored as bytes, written before Blobs or where the
 * database refuses them, or of more Blob chunks than `readAhead`) only chunk 0, and the others
 * are counted, so such a body is never read whole here.
 */
export async function readWholeBody(
  body: LookupBodyStore,
  record: MetaRecord,
  readAhead = Number.POSITIVE_INFINITY,
): Promise<unknown[] | undefined> {
  const expected = expectedChunks(record);
  if (expected === 0) return [];
  const first = (await body.get([record.bodyId, 0]))?.data;
  if (first === undefined) return undefined;
  if (expected === 1) return [first];
  if (!(first instanceof Blob) || expected > readAhead) {
    // Keys are unique: `expected` of them from 0 to `expected - 1` is every chunk, in place.
    const count = await body.count(chunkRange(record.bodyId, 0, expected - 1));
    return count === expected ? [first] : undefined;
  }
  const rest: ChunkRecord[] = await body.getAll(chunkRange(record.bodyId, 1));
  // The key range keeps them in `seq` order; a gap or an extra chunk is not the stored body.
  const inOrder = rest.length === expected - 1 && rest.every((chunk, i) => chunk.seq === i + 1);
  return inOrder ? [first, ...rest.map((chunk) => chunk.data)] : undefined;
}
