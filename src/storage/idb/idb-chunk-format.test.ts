import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import type { HitHandler } from '../../core/storage.ts';
import { StorageError, readAll } from '../../core/storage.ts';
import { INLINE_BODY_MAX_BYTES } from './chunk-data.ts';
import { LOOKUP_READ_AHEAD_CHUNKS } from './idb-entry-read.ts';
import type { IdbStorage } from './idb.ts';
import type { CacheDbSchema, ChunkRecord } from './idb-schema.ts';
import { bodyOf, bytes, keyOf, store } from '../testing/support.ts';
import { newIdb, putEntry } from '../testing/idb.ts';

function newStorage(chunkSize: number): IdbStorage {
  return newIdb({ chunkSize });
}

async function storedChunks(name: string): Promise<ChunkRecord[]> {
  const db = await openDB<CacheDbSchema>(name);
  const chunks = await db.getAll('body');
  db.close();
  return chunks;
}

/** Overwrites every stored chunk with `change(record)` (a separate connection). */
async function rewriteChunks(
  name: string,
  change: (record: ChunkRecord) => ChunkRecord | null,
): Promise<void> {
  const db = await openDB<CacheDbSchema>(name);
  const tx = db.transaction('body', 'readwrite');
  for (const record of await tx.store.getAll()) {
    const changed = change(record);
    if (changed === null) await tx.store.delete([record.bodyId, record.seq]);
    else await tx.store.put(changed);
  }
  await tx.done;
  db.close();
}

async function blobBytes(hit: HitHandler): Promise<Uint8Array | null> {
  const blob = await hit.blob?.();
  return blob === null || blob === undefined ? null : new Uint8Array(await blob.arrayBuffer());
}

describe('IdbStorage chunk format', () => {
  it('stores the chunks of a body of several chunks as Blobs, and reads them back', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/blobs'), bytes(10), 3);
    const chunks = await storedChunks(storage.name);
    expect(chunks.map((c) => c.data instanceof Blob)).toEqual([true, true, true]);
    expect(chunks.map((c) => (c.data as Blob).size)).toEqual([4, 4, 2]);
    expect(await bodyOf(storage, keyOf('/blobs'))).toEqual(bytes(10));
  });

  describe('a body of more Blob chunks than a lookup reads ahead (a compaction lost)', () => {
    const chunks = LOOKUP_READ_AHEAD_CHUNKS + 4;

    it('is looked up reading its first chunk only, and read whole and by range', async () => {
      const storage = newStorage(4);
      await store(storage, keyOf('/many'), bytes(4 * chunks), 4);
      const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
      const found = await storage.lookup(keyOf('/many'));
      expect(getAll).not.toHaveBeenCalled(); // not every chunk's handle for a hit
      getAll.mockRestore();
      found!.hit.seek(4 * chunks - 6, 4 * chunks - 1);
      expect(await readAll(found!.hit)).toEqual(bytes(4 * chunks).subarray(-6, -1));
      await found!.hit.finish();
      expect(await bodyOf(storage, keyOf('/many'))).toEqual(bytes(4 * chunks));
    });

    it('is a miss when one of its chunks is missing', async () => {
      const storage = newStorage(4);
      await store(storage, keyOf('/many'), bytes(4 * chunks), 4);
      await rewriteChunks(storage.name, (record) => (record.seq === 7 ? null : record));
      expect(await storage.lookup(keyOf('/many'))).toBeNull();
    });
  });

  it('keeps a small one-chunk body inline, and stores a larger one-chunk body as a Blob', async () => {
    const storage = newStorage(INLINE_BODY_MAX_BYTES * 2);
    await store(storage, keyOf('/small'), bytes(INLINE_BODY_MAX_BYTES), 10_000);
    await store(storage, keyOf('/larger'), bytes(INLINE_BODY_MAX_BYTES + 1), 10_000);
    const chunks = await storedChunks(storage.name);
    const forms = chunks.map((c) => [c.data instanceof Blob ? 'blob' : 'bytes', byteSize(c)]);
    expect(forms.sort()).toEqual([
      ['blob', INLINE_BODY_MAX_BYTES + 1],
      ['bytes', INLINE_BODY_MAX_BYTES],
    ]);
    expect(await bodyOf(storage, keyOf('/small'))).toEqual(bytes(INLINE_BODY_MAX_BYTES));
    expect(await bodyOf(storage, keyOf('/larger'))).toEqual(bytes(INLINE_BODY_MAX_BYTES + 1));
  });

  it('reads bodies written as bytes before Blobs (an existing database)', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/old'), bytes(10), 3);
    await rewriteChunks(storage.name, (record) => ({
      ...record,
      data: bytes(byteSize(record), record.seq * 4),
    }));
    expect((await storedChunks(storage.name)).every((c) => c.data instanceof Uint8Array)).toBe(
      true,
    );
    const found = await storage.lookup(keyOf('/old'));
    expect(await found!.hit.blob?.()).toBeNull(); // not kept as Blobs: read it instead
    expect(await readAll(found!.hit)).toEqual(bytes(10));
  });

  it('reads a database written before Blobs from scratch (meta and chunks as an old version wrote them)', async () => {
    const storage = newStorage(4);
    await storage.lookup(keyOf('/warm')); // creates the schema
    const key = keyOf('/legacy');
    await putEntry(storage.name, key, {
      bodyId: 'legacy-body',
      chunkSize: 4,
      chunks: [bytes(4), bytes(2, 4)],
    });
    expect(await bodyOf(storage, key)).toEqual(bytes(6));

    // Such a body is read chunk by chunk: replaced under its reader, it fails, never short.
    const hit = (await storage.lookup(key))!.hit;
    expect(await hit.readBody()).toEqual(bytes(4));
    await store(storage, key, bytes(6, 9));
    await expect(hit.readBody()).rejects.toBeInstanceOf(StorageError);
  });
});

describe('IdbHitHandler.blob', () => {
  it('hands over the whole body, or exactly the sought range, without reading the bytes', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/whole'), bytes(10), 3);
    const whole = await storage.lookup(keyOf('/whole'));
    expect(await blobBytes(whole!.hit)).toEqual(bytes(10));
    for (const [start, end] of [
      [0, 10],
      [3, 9],
      [4, 8],
      [9, 10],
      [5, 6],
    ] as const) {
      const found = await storage.lookup(keyOf('/whole'));
      found!.hit.seek(start, end);
      expect(await blobBytes(found!.hit), `${start}-${end}`).toEqual(bytes(end - start, start));
    }
  });

  it('leaves the position alone: readBody still reads the sought range afterwards', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/twice'), bytes(10), 3);
    const found = await storage.lookup(keyOf('/twice'));
    found!.hit.seek(2, 7);
    expect(await blobBytes(found!.hit)).toEqual(bytes(5, 2));
    expect(await readAll(found!.hit)).toEqual(bytes(5, 2));
  });

  it('hands over a one-chunk Blob body read by the lookup itself', async () => {
    const storage = newStorage(INLINE_BODY_MAX_BYTES * 2);
    const body = bytes(INLINE_BODY_MAX_BYTES + 10);
    await store(storage, keyOf('/one'), body, 50_000);
    const found = await storage.lookup(keyOf('/one'));
    expect(await blobBytes(found!.hit)).toEqual(body);
  });

  it('hands over a whole one-Blob body as stored, building no Blob; a range of it sliced', async () => {
    const storage = newStorage(INLINE_BODY_MAX_BYTES * 2);
    const body = bytes(INLINE_BODY_MAX_BYTES + 10);
    await store(storage, keyOf('/as-stored'), body, 50_000);
    const slice = vi.spyOn(Blob.prototype, 'slice');
    try {
      const whole = await storage.lookup(keyOf('/as-stored'));
      expect(await blobBytes(whole!.hit)).toEqual(body);
      expect(slice).not.toHaveBeenCalled();
      const part = await storage.lookup(keyOf('/as-stored'));
      part!.hit.seek(1, 5);
      expect(await blobBytes(part!.hit)).toEqual(bytes(4, 1));
      expect(slice).toHaveBeenCalledOnce();
    } finally {
      slice.mockRestore();
    }
  });

  it('is null for a small inline body (it is read instead)', async () => {
    const storage = newStorage(64);
    await store(storage, keyOf('/inline'), bytes(20), 5);
    const found = await storage.lookup(keyOf('/inline'));
    expect(await found!.hit.blob?.()).toBeNull();
    expect(await readAll(found!.hit)).toEqual(bytes(20));
  });

  it('misses when a chunk is gone, and rejects one of the wrong length: never a short Blob', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/gone'), bytes(10), 3);
    await rewriteChunks(storage.name, (record) => (record.seq === 1 ? null : record));
    expect(await storage.lookup(keyOf('/gone'))).toBeNull();

    await store(storage, keyOf('/short'), bytes(10), 3);
    await rewriteChunks(storage.name, (record) =>
      record.seq === 2 ? { ...record, data: new Blob([bytes(1).slice()]) } : record,
    );
    const short = await storage.lookup(keyOf('/short'));
    await expect(short!.hit.blob?.()).rejects.toThrow(/wrong length/);
  });

  it('hands over the body the lookup found, whole, when its chunks are deleted after it', async () => {
    const storage = newStorage(4);
    await store(storage, keyOf('/kept'), bytes(10), 3);
    const found = await storage.lookup(keyOf('/kept'));
    await rewriteChunks(storage.name, () => null);
    expect(await blobBytes(found!.hit)).toEqual(bytes(10));
  });
});

describe('IdbStorage where the database refuses Blobs', () => {
  /**
   * Makes every `put` of a chunk whose `data` passes `fails` throw `message` (an UnknownError,
   * as WebKit's ephemeral IndexedDB refuses Blobs); counts the refusals.
   */
  function failingPuts(fails: (data: unknown) => boolean, message: string) {
    // The original is called back with its store as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const put = IDBObjectStore.prototype.put;
    const seen = { refused: 0, restore: () => void (IDBObjectStore.prototype.put = put) };
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value, key) {
      const data = (value as { data?: unknown } | null)?.data;
      if (data !== undefined && fails(data)) {
        seen.refused++;
        throw new DOMException(message, 'UnknownError');
      }
      return put.call(this, value, key);
    };
    return seen;
  }
  const refuseBlobs = () =>
    failingPuts((data) => data instanceof Blob, 'Error preparing Blob/File data to be stored');

  it('stores every body as bytes from the first refusal on, and reads them back', async () => {
    const refusing = refuseBlobs();
    try {
      const storage = newStorage(4);
      await store(storage, keyOf('/several'), bytes(10), 3);
      await store(storage, keyOf('/later'), bytes(9), 3);
      const chunks = await storedChunks(storage.name);
      expect(chunks.map((c) => (c.data instanceof Blob ? 'blob' : 'bytes'))).toEqual(
        Array<string>(6).fill('bytes'),
      );
      expect(await bodyOf(storage, keyOf('/several'))).toEqual(bytes(10));
      expect(await bodyOf(storage, keyOf('/later'))).toEqual(bytes(9));
      // Refused once, by the first body's first chunk; the storage does not try Blobs again.
      expect(refusing.refused).toBe(1);
    } finally {
      refusing.restore();
    }
  });

  it('stores a one-chunk body larger than the inline limit as bytes', async () => {
    const refusing = refuseBlobs();
    try {
      const storage = newStorage(INLINE_BODY_MAX_BYTES * 2);
      const body = bytes(INLINE_BODY_MAX_BYTES + 10);
      await store(storage, keyOf('/one'), body, 50_000);
      const chunks = await storedChunks(storage.name);
      expect(chunks.map((c) => (c.data instanceof Blob ? 'blob' : 'bytes'))).toEqual(['bytes']);
      expect(await bodyOf(storage, keyOf('/one'))).toEqual(body);
    } finally {
      refusing.restore();
    }
  });

  it('lets the first error stand when bytes fail too', async () => {
    const failing = failingPuts(() => true, 'the disk is gone');
    try {
      const storage = newStorage(4);
      await expect(store(storage, keyOf('/broken'), bytes(10), 3)).rejects.toThrow(
        /the disk is gone/,
      );
      expect(failing.refused).toBe(2); // the Blob, then the bytes
    } finally {
      failing.restore();
    }
  });
});

function byteSize(record: ChunkRecord): number {
  return record.data instanceof Blob ? record.data.size : record.data.byteLength;
}
