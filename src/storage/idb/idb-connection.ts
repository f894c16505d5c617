/**
 * A lazily (re)opened IndexedDB connection. The browser may close a connection (storage cleared,
 * disk error: the `close` event) and another context may upgrade or delete the database (the
 * `versionchange` event, after which we must close ours so it is not blocked). Either way the
 * connection is forgotten and the next call opens a new one, instead of every later request
 * failing on a dead handle.
 */
import { openDB } from 'idb';
import { errorName, toStorageError } from '../errors.ts';
import type { CacheDb } from './idb-schema.ts';
import { SCHEMA_VERSION, runMigrations } from './idb-schema.ts';

export class IdbConnection {
  readonly name: string;
  readonly #onOpen: (() => void) | undefined;
  #db: Promise<CacheDb> | undefined;

  /** `onOpen` runs after each successful open (orphan collection hooks in there). */
  constructor(name: string, onOpen?: () => void) {
    this.name = name;
    this.#onOpen = onOpen;
  }

  /** The open database, opening it when there is no live connection. */
  get(): Promise<CacheDb> {
    if (this.#db !== undefined) return this.#db;
    const opening: Promise<CacheDb> = openDB(this.name, SCHEMA_VERSION, {
      upgrade: runMigrations,
      blocking: () => {
        this.#forget(opening);
        void opening.then((db) => db.close());
      },
      terminated: () => this.#forget(opening),
    }).then(
      (db) => {
        this.#onOpen?.();
        return db;
      },
      (error: unknown) => {
        this.#forget(opening);
        throw toStorageError(error, `opening IndexedDB "${this.name}"`);
      },
    );
    this.#db = opening;
    return opening;
  }

  /**
   * Runs `work` on the database. A connection found closed when a transaction starts
   * (`InvalidStateError`, nothing done yet) is reopened once; other errors become `StorageError`.
   */
  async run<T>(doing: string, work: (db: CacheDb) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const opening = this.get();
      const db = await opening;
      try {
        return await work(db);
      } catch (error) {
        if (attempt === 0 && errorName(error) === 'InvalidStateError') {
          this.#forget(opening);
          continue;
        }
        throw toStorageError(error, doing);
      }
    }
  }

  /** Closes the connection; the next call reopens it. */
  async close(): Promise<void> {
    const opening = this.#db;
    this.#db = undefined;
    if (opening !== undefined) (await opening.catch(() => undefined))?.close();
  }

  #forget(opening: Promise<CacheDb>): void {
    if (this.#db === opening) this.#db = undefined;
  }
}

/**
 * Runs the requests of one transaction and waits for it to commit. On any failure the transaction
 * is aborted, so nothing of it lands (the atomicity the storage relies on).
 */
export async function inTransaction<T>(
  tx: { readonly done: Promise<void>; abort(): void },
  work: () => Promise<T>,
): Promise<T> {
  const done = tx.done;
  // Observed here so an abort while `work` is failing is not an unhandled rejection.
  done.catch(() => undefined);
  try {
    const result = await work();
    await done;
    return result;
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

/**
 * Runs the reads of a read-only transaction and resolves with their result as soon as they have
 * answered, without waiting for the commit: a read-only transaction changes nothing, so its reads
 * are final once answered, and the commit is one more round trip to the browser's IndexedDB (on a
 * hit, time the page waits for nothing). On a failure the transaction is aborted.
 */
export async function readInTransaction<T>(
  tx: { readonly done: Promise<void>; abort(): void },
  work: () => Promise<T>,
): Promise<T> {
  // Observed, so an abort after the reads answered is not an unhandled rejection.
  tx.done.catch(() => undefined);
  try {
    return await work();
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}
