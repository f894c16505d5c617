/**
 * The IndexedDB storage of a unit test: its own database (fake-indexeddb under Node), closed
 * after each test. Importing this module registers the `afterEach` that closes them.
 */
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import type { IdbStorageOptions } from '../idb/idb.ts';
import { IdbStorage } from '../idb/idb.ts';

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
