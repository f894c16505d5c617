import type { Page } from '@playwright/test';

/**
 * Read-only views of the worker's IndexedDB (`sw-http-cache`, see src/storage/idb/idb-schema.ts),
 * taken from a page of the same origin, so tests can check what storage holds, not only what
 * the page was served.
 */

/** A `meta` record without its `CacheMeta`. */
export interface StoredMeta {
  hash: string;
  primary: string;
  bodyId: string;
  size: number;
  chunkSize: number;
  complete: 0 | 1;
  writers: { bodyId: string; heartbeatAt: number }[];
}

/** A `body` record without its bytes. */
export interface StoredChunk {
  bodyId: string;
  seq: number;
  byteLength: number;
}

export interface CacheDbSnapshot {
  metas: StoredMeta[];
  chunks: StoredChunk[];
}

export const CACHE_DB_NAME = 'sw-http-cache';

/**
 * Both stores, read in one transaction (a consistent snapshot). An origin where the worker has
 * not created the database yet reads as empty; the page never creates or upgrades it.
 */
export function readCacheDb(page: Page, name = CACHE_DB_NAME): Promise<CacheDbSnapshot> {
  return page.evaluate(async (name) => {
    const known = await indexedDB.databases();
    if (!known.some((db) => db.name === name)) return { metas: [], chunks: [] };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error(`could not open ${name}`));
    });
    try {
      const tx = db.transaction(['meta', 'body'], 'readonly');
      const all = (store: string) =>
        new Promise<unknown[]>((resolve, reject) => {
          const request = tx.objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error(`could not read ${store}`));
        });
      type MetaRow = Omit<StoredMeta, 'primary'> & { key: { primary: string } };
      // Chunks are Blobs, or bytes inline for small bodies and older records (idb-schema.ts).
      type ChunkRow = { bodyId: string; seq: number; data: Uint8Array | Blob };
      const [metas, chunks] = await Promise.all([all('meta'), all('body')]);
      return {
        metas: (metas as MetaRow[]).map(
          ({ hash, key, bodyId, size, chunkSize, complete, writers }) => ({
            hash,
            primary: key.primary,
            bodyId,
            size,
            chunkSize,
            complete,
            writers,
          }),
        ),
        chunks: (chunks as ChunkRow[]).map(({ bodyId, seq, data }) => ({
          bodyId,
          seq,
          byteLength: data instanceof Blob ? data.size : data.byteLength,
        })),
      };
    } finally {
      db.close();
    }
  }, name);
}

/** Body ids of chunks that no complete meta record points to (orphans, or writes in progress). */
export function unreferencedBodyIds(snapshot: CacheDbSnapshot): string[] {
  const complete = new Set(snapshot.metas.filter((m) => m.complete === 1).map((m) => m.bodyId));
  return [...new Set(snapshot.chunks.map((c) => c.bodyId))].filter((id) => !complete.has(id));
}

/** Total body bytes of the complete entries, as the eviction budget counts them. */
export function storedBytes(snapshot: CacheDbSnapshot): number {
  return snapshot.metas.filter((m) => m.complete === 1).reduce((sum, m) => sum + m.size, 0);
}

/**
 * Fault injection: moves every recorded writer heartbeat back to the epoch, as if the writers
 * had been silent for longer than the worker's `staleWriterMs` (10 minutes, not configurable
 * through the worker's options today). Returns how many writer records were aged.
 */
export function ageWriterHeartbeats(page: Page, name = CACHE_DB_NAME): Promise<number> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error(`could not open ${name}`));
    });
    try {
      const tx = db.transaction('meta', 'readwrite');
      let aged = 0;
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('could not age writers'));
      });
      const cursorRequest = tx.objectStore('meta').openCursor();
      cursorRequest.onsuccess = () => {
        const cursor = cursorRequest.result;
        if (cursor === null) return;
        const record = cursor.value as { writers: { bodyId: string; heartbeatAt: number }[] };
        if (record.writers.length > 0) {
          aged += record.writers.length;
          cursor.update({
            ...record,
            writers: record.writers.map((w) => ({ ...w, heartbeatAt: 0 })),
          });
        }
        cursor.continue();
      };
      await done;
      return aged;
    } finally {
      db.close();
    }
  }, name);
}
