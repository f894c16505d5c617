import type { Page } from '@playwright/test';
import { CACHE_DB_NAME } from './cache-db.ts';

/**
 * For each needle, how many stored body chunks of the worker's IndexedDB contain it, read from a
 * page of the same origin. A needle split across two chunks is not found, so callers pick
 * needles shorter than a chunk and look for bodies' first bytes (chunks start at offset 0).
 * An origin without the database reads as zero everywhere.
 */
export function chunksContaining(
  page: Page,
  needles: readonly (string | Uint8Array)[],
  name = CACHE_DB_NAME,
): Promise<number[]> {
  const asBytes = needles.map((needle) =>
    Array.from(typeof needle === 'string' ? new TextEncoder().encode(needle) : needle),
  );
  return page.evaluate(
    async ({ name, asBytes }) => {
      const counts = asBytes.map(() => 0);
      if (!(await indexedDB.databases()).some((db) => db.name === name)) return counts;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error(`could not open ${name}`));
      });
      try {
        const chunks = await new Promise<{ data: Uint8Array | Blob }[]>((resolve, reject) => {
          const request = db.transaction('body', 'readonly').objectStore('body').getAll();
          request.onsuccess = () => resolve(request.result as { data: Uint8Array | Blob }[]);
          request.onerror = () => reject(request.error ?? new Error('could not read body'));
        });
        // Latin-1 maps every byte to one character, so a byte search is a string search.
        const latin1 = (bytes: ArrayLike<number>) =>
          Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
        // Chunks are Blobs, except a small one-chunk body stored inline as bytes.
        const texts = await Promise.all(
          chunks.map(async ({ data }) =>
            latin1(data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data),
          ),
        );
        asBytes.forEach((needle, index) => {
          const text = latin1(needle);
          counts[index] = texts.filter((chunk) => chunk.includes(text)).length;
        });
        return counts;
      } finally {
        db.close();
      }
    },
    { name, asBytes },
  );
}
