/**
 * Faults a page of the worker's origin can inject into the storage the worker shares with it:
 * a Web Lock held the way another writer would hold it, an IndexedDB upgrade or deletion while
 * the worker has the database open, and arbitrary records written into its `meta` store. Every
 * wait is bounded: a blocked upgrade or deletion is reported, never waited on forever.
 */
import type { Page } from '@playwright/test';
import { CACHE_DB_NAME } from './cache-db.ts';

/**
 * Takes the Web Lock `name` in `page` and keeps it until the page closes (what the worker's
 * writer does for a key: `src/lock/web-locks.ts`). Resolves once the lock is held.
 */
export function holdWebLock(page: Page, name: string): Promise<void> {
  return page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        navigator.locks
          .request(name, { ifAvailable: true }, (lock) => {
            if (lock === null) {
              reject(new Error(`${name} is held elsewhere`));
              return undefined;
            }
            resolve();
            return new Promise<void>(() => undefined); // held until the page goes away
          })
          .catch(reject);
      }),
    name,
  );
}

/** How an IndexedDB open or delete from the page ended. */
export interface DbChange {
  /** `success`, `error: <name>`, or `timeout` when it did not end within the bound. */
  outcome: string;
  /** How many `blocked` events it saw (a connection that did not close on `versionchange`). */
  blocked: number;
  /** The database version after it, when it opened. */
  version?: number;
}

/**
 * Opens the worker's database at its current version + 1 (an upgrade that changes nothing), as
 * a newer schema in another context would, then closes it.
 */
export function upgradeCacheDb(page: Page, timeoutMs = 5_000, name = CACHE_DB_NAME) {
  return page.evaluate(
    async ({ name, timeoutMs }) => {
      const current = (await indexedDB.databases()).find((db) => db.name === name)?.version ?? 0;
      return new Promise<DbChange>((resolve) => {
        const change: DbChange = { outcome: 'timeout', blocked: 0 };
        const timer = setTimeout(() => resolve(change), timeoutMs);
        const open = indexedDB.open(name, current + 1);
        open.onblocked = () => change.blocked++;
        open.onsuccess = () => {
          clearTimeout(timer);
          change.version = open.result.version;
          open.result.close();
          resolve({ ...change, outcome: 'success' });
        };
        open.onerror = () => {
          clearTimeout(timer);
          resolve({ ...change, outcome: `error: ${open.error?.name ?? 'unknown'}` });
        };
      });
    },
    { name, timeoutMs },
  );
}

/** Deletes the worker's database from the page (`indexedDB.deleteDatabase`). */
export function deleteCacheDb(page: Page, timeoutMs = 5_000, name = CACHE_DB_NAME) {
  return page.evaluate(
    ({ name, timeoutMs }) =>
      new Promise<DbChange>((resolve) => {
        const change: DbChange = { outcome: 'timeout', blocked: 0 };
        const timer = setTimeout(() => resolve(change), timeoutMs);
        const request = indexedDB.deleteDatabase(name);
        request.onblocked = () => change.blocked++;
        request.onsuccess = () => {
          clearTimeout(timer);
          resolve({ ...change, outcome: 'success' });
        };
        request.onerror = () => {
          clearTimeout(timer);
          resolve({ ...change, outcome: `error: ${request.error?.name ?? 'unknown'}` });
        };
      }),
    { name, timeoutMs },
  );
}

/** A `meta` record as stored: whatever the test wants, well-formed or not. */
export type RawRecord = Record<string, unknown>;

/** Runs `mode` work on the `meta` store of the worker's database in one transaction. */
async function withMetaStore<T>(
  page: Page,
  mode: IDBTransactionMode,
  work: { put?: RawRecord[]; get?: string[] },
  name = CACHE_DB_NAME,
): Promise<T> {
  return page.evaluate(
    async ({ name, mode, work }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error(`could not open ${name}`));
      });
      try {
        const tx = db.transaction('meta', mode);
        const store = tx.objectStore('meta');
        const done = new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('meta transaction failed'));
        });
        for (const record of work.put ?? []) store.put(record);
        const found = (work.get ?? []).map(
          (hash) =>
            new Promise<unknown>((resolve, reject) => {
              const request = store.get(hash);
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error ?? new Error('get failed'));
            }),
        );
        const records = await Promise.all(found);
        await done;
        return records as T;
      } finally {
        db.close();
      }
    },
    { name, mode, work },
  );
}

/** Writes `records` into the worker's `meta` store as they are (the key path is `hash`). */
export function putMetaRecords(page: Page, records: RawRecord[]): Promise<void> {
  return withMetaStore<unknown>(page, 'readwrite', { put: records }).then(() => undefined);
}

/** The raw `meta` records stored under `hashes` (`undefined` where there is none). */
export function getMetaRecords(page: Page, hashes: string[]): Promise<(RawRecord | undefined)[]> {
  return withMetaStore(page, 'readonly', { get: hashes });
}
