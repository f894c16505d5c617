/**
 * The IndexedDB storage of a unit test: its own database (fake-indexeddb under Node), closed
 * after each test. Importing this module registers the `afterEach` that closes them.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach } from 'vitest';
import type { CacheKey } from '../../core/key.ts';
import { primaryHash, variantHash } from '../../core/key.ts';
import type { IdbStorageOptions } from '../idb/idb.ts';
import { IdbStorage } from '../idb/idb.ts';
import type { CacheDbSchema, ChunkRecord } from '../idb/idb-schema.ts';
import { metaOf } from './support.ts';

const opened: IdbStorage[] = [];
let count = 0;

afterEach(async () => {
  for (const idb of opened.splice(0)) await idb.close();
});

/** A fresh database name: no test sees another's entries. */
export function newDbName(prefix = 'test'): string {
  return `${prefix}-${++count}`;
}

/**
 * An `IdbStorage` on a fresh database (or `options.name`), with 4-byte chunks so bodies span
 * several, no orphan collection at open (tests start it themselves) and no compaction (bodies
 * stay in the chunks a test expects; compaction.test.ts turns it on), closed after the test.
 */
export function newIdb(options: IdbStorageOptions = {}): IdbStorage {
  return closedAfterTest(
    new IdbStorage({
      name: newDbName(),
      chunkSize: 4,
      collectOrphansOnOpen: false,
      compactBodies: false,
      ...options,
    }),
  );
}

/** Closes `idb` after the test; returns it. */
export function closedAfterTest(idb: IdbStorage): IdbStorage {
  opened.push(idb);
  return idb;
}

/**
 * Writes a complete entry of `key` straight into the database `name` (which must exist), as a
 * given version of the library wrote it: its body `bodyId` as `chunks` (their `data`, by `seq`)
 * of `chunkSize` bytes.
 */
export async function putEntry(
  name: string,
  key: CacheKey,
  entry: { bodyId: string; chunkSize: number; chunks: readonly ChunkRecord['data'][] },
): Promise<void> {
  const size = entry.chunks.reduce(
    (sum, d) => sum + (d instanceof Blob ? d.size : d.byteLength),
    0,
  );
  const db = await openDB<CacheDbSchema>(name);
  await db.put('meta', {
    hash: variantHash(key),
    primaryHash: primaryHash(key),
    key,
    meta: metaOf(),
    bodyId: entry.bodyId,
    size,
    chunkSize: entry.chunkSize,
    complete: 1,
    writers: [],
    lastAccess: 0,
  });
  for (const [seq, data] of entry.chunks.entries()) {
    await db.put('body', { bodyId: entry.bodyId, seq, data });
  }
  db.close();
}
