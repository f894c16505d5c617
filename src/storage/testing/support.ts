/** Helpers shared by the storage tests (not part of the public surface). */
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta, HeaderList } from '../../core/meta.ts';
import type { HitHandler, MissHandler, Storage } from '../../core/storage.ts';
import { readAll } from '../../core/storage.ts';
import { testMeta } from '../../core/testing/fakes.ts';

export function keyOf(path: string, variance?: string): CacheKey {
  return { namespace: 'test', primary: `https://example.test${path}`, variance };
}

export function metaOf(status = 200, headers: HeaderList = []): CacheMeta {
  return testMeta({ status, headers });
}

/** `length` bytes counting up from `start` (mod 256), so any misplaced byte shows. */
export function bytes(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) % 256);
}

/** Stores `body` under `key` in chunks of `chunkSize`; returns the storage's own miss handler. */
export async function store<M extends MissHandler>(
  storage: { getMissHandler(key: CacheKey, meta: CacheMeta): Promise<M> },
  key: CacheKey,
  body: Uint8Array,
  chunkSize = 7,
  meta = metaOf(),
): Promise<M> {
  const miss = await storage.getMissHandler(key, meta);
  for (let i = 0; i < body.byteLength; i += chunkSize)
    await miss.write(body.subarray(i, i + chunkSize));
  await miss.finish();
  return miss;
}

/** The whole body of the current entry of `key`, or `null` on a miss. */
export async function bodyOf(storage: Storage, key: CacheKey): Promise<Uint8Array | null> {
  const found = await storage.lookup(key);
  if (found === null) return null;
  const body = await readAll(found.hit);
  await found.hit.finish();
  return body;
}

/**
 * `inner` as a storage with the required members only (none of the optional capabilities):
 * what a third-party storage may be.
 */
export function bareStorage(inner: Storage): Storage {
  return {
    label: 'bare',
    supportsStreamingPartialWrite: inner.supportsStreamingPartialWrite,
    lookup: (key) => inner.lookup(key),
    getMissHandler: (key, meta) => inner.getMissHandler(key, meta),
    purge: (key, type) => inner.purge(key, type),
    updateMeta: (key, meta) => inner.updateMeta(key, meta),
  };
}

/** Resolves after pending promise callbacks have run (to check a read is still waiting). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Whether `promise` is still pending after the current callbacks ran. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return !done;
}

export type { HitHandler };
