import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAll, StorageError, type PieceStart } from '../../core/storage.ts';
import type { CacheDbSchema } from './idb-schema.ts';
import { bodyOf, bytes, keyOf, metaOf } from '../testing/support.ts';
import { newIdb } from '../testing/idb.ts';
import type { IdbStorage, IdbStorageOptions } from './idb.ts';
import { sparseEntries } from './idb-sparse.ts';
import { INLINE_BODY_MAX_BYTES } from './chunk-data.ts';

const KEY = keyOf('/video.webm');
const LENGTH = 20;
/** The representation: 20 bytes counting up, strong ETag "v1". */
const BODY = bytes(LENGTH);
const META = metaOf(200, [['content-length', String(LENGTH)]]);

function piece(offset: number, etag = '"v1"', length = LENGTH): PieceStart {
  return { meta: META, representation: { length, validator: { etag } }, offset };
}

/** Stores `data` from `offset` as one 206 body, written in 3-byte reads. */
async function storePiece(
  storage: IdbStorage,
  offset: number,
  data: Uint8Array,
  start = piece(offset),
) {
  const writer = await storage.getPieceWriter(KEY, start);
  for (let i = 0; i < data.byteLength; i += 3) await writer.write(data.subarray(i, i + 3));
  return writer.finish();
}

/** A test database with the partial-content code (`sparseEntries`), as the feature wires it. */
function newSparseIdb(options: IdbStorageOptions = {}): IdbStorage {
  return newIdb({ partialContent: sparseEntries, ...options });
}

async function contents(name: string) {
  const db = await openDB<CacheDbSchema>(name);
  const sparse = await db.getAll('sparse');
  const pieces = await db.getAll('pieces');
  db.close();
  return { sparse, pieces };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IdbStorage sparse entries', () => {
  it('stores a piece; the held bytes are read back, a byte not held fails the read', async () => {
    const storage = newSparseIdb();
    expect(await storePiece(storage, 4, BODY.subarray(4, 10))).toBe('partial');
    expect(await storage.lookup(KEY)).toBeNull();
    const found = await storage.lookupSparse(KEY);
    expect(found?.spans).toEqual([{ start: 4, end: 10 }]);
    expect(found?.hit.size).toBe(LENGTH);
    found!.hit.seek(5, 9);
    expect(await readAll(found!.hit)).toEqual(BODY.subarray(5, 9));
    found!.hit.seek(8, 12);
    await expect(readAll(found!.hit)).rejects.toThrow(StorageError);
    // Pieces are at most the chunk size (4 bytes in these tests).
    const { pieces } = await contents(storage.name);
    expect(pieces.every((p) => p.data.byteLength <= 4)).toBe(true);
  });

  it('merges pieces, stores only bytes not held, and completes into an ordinary entry', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    await storePiece(storage, 12, BODY.subarray(12, 20));
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([
      { start: 0, end: 8 },
      { start: 12, end: 20 },
    ]);
    const before = (await contents(storage.name)).pieces.length;
    // Overlaps both sides: only bytes 8-11 are new.
    expect(await storePiece(storage, 6, BODY.subarray(6, 14))).toBe('complete');
    expect(await storage.lookupSparse(KEY)).toBeNull();
    expect(await bodyOf(storage, KEY)).toEqual(BODY);
    const found = await storage.lookup(KEY);
    expect(found?.meta.status).toBe(200);
    await found?.hit.finish();
    expect(before).toBeGreaterThan(0);
    expect(await contents(storage.name)).toEqual({ sparse: [], pieces: [] });
  });

  it('drops the entry when overlapping pieces of one validator hold different bytes', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    const other = BODY.slice(4, 12);
    other[1] = 0xff - other[1]!;
    await expect(storePiece(storage, 4, other)).rejects.toThrow(/differs/);
    expect(await storage.lookupSparse(KEY)).toBeNull();
    expect(await contents(storage.name)).toEqual({ sparse: [], pieces: [] });
  });

  it('replaces the pieces when the validator changes, or the length under the same one', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    await storePiece(storage, 10, bytes(4, 100), piece(10, '"v2"'));
    let found = await storage.lookupSparse(KEY);
    expect(found?.spans).toEqual([{ start: 10, end: 14 }]);
    expect(found?.representation.validator).toEqual({ etag: '"v2"' });
    await storePiece(storage, 0, bytes(4), piece(0, '"v2"', 30));
    found = await storage.lookupSparse(KEY);
    expect(found?.spans).toEqual([{ start: 0, end: 4 }]);
    expect(found?.representation.length).toBe(30);
    expect((await contents(storage.name)).pieces).toHaveLength(1);
  });

  it('drops the entry when the body is longer than its Content-Range', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    const writer = await storage.getPieceWriter(KEY, piece(16));
    await writer.write(BODY.subarray(16, 20));
    await expect(writer.write(bytes(1))).rejects.toThrow(/longer than its Content-Range/);
    expect(await storage.lookupSparse(KEY)).toBeNull();
  });

  it('keeps what landed of a body that breaks off, buffered bytes included', async () => {
    const storage = newSparseIdb();
    const writer = await storage.getPieceWriter(KEY, piece(0));
    await writer.write(BODY.subarray(0, 6)); // one 4-byte piece stored, 2 bytes buffered
    await writer.abort();
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([{ start: 0, end: 6 }]);
  });

  it('stops a writer whose entry another representation replaced; its bytes never mix', async () => {
    const storage = newSparseIdb();
    const old = await storage.getPieceWriter(KEY, piece(0));
    await storePiece(storage, 8, bytes(4, 50), piece(8, '"v2"'));
    await expect(old.write(BODY.subarray(0, 4))).rejects.toThrow(/replaced or purged/);
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([{ start: 8, end: 12 }]);
  });

  it('purge, purgeVariants and clear remove the pieces; updateMeta refreshes a sparse entry', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    const refreshed = metaOf(200, [['x-fresh', '1']]);
    expect(await storage.updateMeta(KEY, refreshed)).toBe(true);
    expect((await storage.lookupSparse(KEY))?.meta).toEqual(refreshed);
    expect(await storage.purge(KEY, 'invalidation')).toBe(true);
    expect(await contents(storage.name)).toEqual({ sparse: [], pieces: [] });

    await storePiece(storage, 0, BODY.subarray(0, 8));
    expect(await storage.purgeVariants(keyOf('/video.webm', 'other'))).toBe(0);
    expect(await contents(storage.name)).toEqual({ sparse: [], pieces: [] });

    await storePiece(storage, 0, BODY.subarray(0, 8));
    await storage.clear();
    expect(await contents(storage.name)).toEqual({ sparse: [], pieces: [] });
  });

  it('lists a sparse entry for eviction with the bytes it holds', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 2, BODY.subarray(2, 9));
    await storePiece(storage, 15, BODY.subarray(15, 18));
    const listed = await storage.listMeta();
    expect(listed.map(({ key, size, length }) => ({ key, size, length }))).toEqual([
      { key: KEY, size: 10, length: LENGTH },
    ]);
  });

  it('collects pieces no record names and malformed records', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    const db = await openDB<CacheDbSchema>(storage.name);
    await db.put('pieces', { bodyId: 'lost', offset: 0, data: bytes(3) });
    await db.put('sparse', { hash: 'junk' } as never);
    db.close();
    expect(await storage.collectOrphans()).toBe(1);
    const { sparse, pieces } = await contents(storage.name);
    expect(sparse).toHaveLength(1);
    expect(pieces.map((p) => p.bodyId)).not.toContain('lost');
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([{ start: 0, end: 8 }]);
  });

  it('refuses a piece that starts outside the representation', async () => {
    const storage = newSparseIdb();
    await expect(storage.getPieceWriter(KEY, piece(LENGTH))).rejects.toThrow(StorageError);
  });
});

describe('IdbStorage without the partialContent option', () => {
  it('has no sparse lookup and refuses a piece writer', async () => {
    const storage = newIdb();
    expect(await storage.lookupSparse(KEY)).toBeNull();
    await expect(storage.getPieceWriter(KEY, piece(0))).rejects.toThrow(StorageError);
  });

  it('purges, clears and collects the pieces another storage wrote; lists none', async () => {
    const writer = newSparseIdb();
    const plain = newIdb({ name: writer.name });
    await storePiece(writer, 2, BODY.subarray(2, 9));
    // Eviction without the feature does not see them (the worker with it lists them).
    expect(await plain.listMeta()).toEqual([]);
    expect(await plain.purge(KEY, 'eviction')).toBe(true);
    expect(await contents(writer.name)).toEqual({ sparse: [], pieces: [] });

    await storePiece(writer, 0, BODY.subarray(0, 8));
    await plain.clear();
    expect(await contents(writer.name)).toEqual({ sparse: [], pieces: [] });

    const db = await openDB<CacheDbSchema>(writer.name);
    await db.put('pieces', { bodyId: 'lost', offset: 0, data: bytes(3) });
    db.close();
    expect(await plain.collectOrphans()).toBe(1);
    expect(await contents(writer.name)).toEqual({ sparse: [], pieces: [] });
  });
});

describe('IdbStorage piece writer calls', () => {
  it('run one after the other: writes and an abort made without waiting keep their order', async () => {
    const storage = newSparseIdb();
    const writer = await storage.getPieceWriter(KEY, piece(0));
    const calls = [0, 4, 8, 12].map((at) => writer.write(BODY.subarray(at, at + 4)));
    calls.push(writer.abort());
    await Promise.all(calls);
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([{ start: 0, end: 16 }]);
    expect(await bodyOfSparse(storage)).toEqual(BODY.subarray(0, 16));
  });
});

async function bodyOfSparse(storage: IdbStorage): Promise<Uint8Array> {
  const found = await storage.lookupSparse(KEY);
  found!.hit.seek(0, found!.spans[0]!.end);
  return readAll(found!.hit);
}

describe('IdbStorage piece size', () => {
  const CHUNK = 256 * 1024;
  const big = bytes(600_000);
  const bigPiece = (offset: number): PieceStart => ({
    meta: META,
    representation: { length: big.byteLength, validator: { etag: '"v1"' } },
    offset,
  });

  it('stores pieces small enough to be inline, a chunk of them per transaction', async () => {
    const storage = newSparseIdb({ chunkSize: CHUNK });
    const writer = await storage.getPieceWriter(KEY, bigPiece(0));
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await writer.write(big.subarray(0, 500_000));
    await writer.finish();
    // 500,000 bytes: one commit of a chunk, the rest at finish.
    expect(transactions).toHaveBeenCalledTimes(2);
    const { pieces, sparse } = await contents(storage.name);
    expect(sparse[0]?.pieceSize).toBe(INLINE_BODY_MAX_BYTES);
    expect(pieces.every((p) => p.data.byteLength <= INLINE_BODY_MAX_BYTES)).toBe(true);
    expect(pieces).toHaveLength(Math.ceil(CHUNK / INLINE_BODY_MAX_BYTES) + 4);
    const found = await storage.lookupSparse(KEY, () => 300_000);
    found!.hit.seek(100_000, 500_000);
    expect(await readAll(found!.hit)).toEqual(big.subarray(100_000, 500_000));
  }, 20_000); // half a megabyte through fake-indexeddb: seconds on a busy machine

  it('reads and extends an entry stored with pieces of a whole chunk (before inline pieces)', async () => {
    const storage = newSparseIdb({ chunkSize: CHUNK });
    // An entry as stored before: one piece of 200,000 bytes, pieceSize the chunk size.
    await storePiece(storage, 0, BODY.subarray(0, 1), { ...bigPiece(0) });
    const db = await openDB<CacheDbSchema>(storage.name);
    const [record] = await db.getAll('sparse');
    await db.put('sparse', { ...record!, pieceSize: CHUNK, spans: [{ start: 0, end: 200_000 }] });
    await db.put('pieces', { bodyId: record!.bodyId, offset: 0, data: big.slice(0, 200_000) });
    db.close();
    const found = await storage.lookupSparse(KEY, () => 150_000);
    found!.hit.seek(150_000, 200_000);
    expect(await readAll(found!.hit)).toEqual(big.subarray(150_000, 200_000));
    const writer = await storage.getPieceWriter(KEY, bigPiece(100_000));
    await writer.write(big.subarray(100_000, 400_000));
    expect(await writer.finish()).toBe('partial');
    const again = await storage.lookupSparse(KEY);
    expect(again?.spans).toEqual([{ start: 0, end: 400_000 }]);
    again!.hit.seek(0, 400_000);
    expect(await readAll(again!.hit)).toEqual(big.subarray(0, 400_000));
  }, 20_000); // half a megabyte through fake-indexeddb: seconds on a busy machine
});

describe('IdbStorage sparse lookups', () => {
  it('cost no transaction for a key with no sparse entry once the keys are known', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    expect(await storage.lookupSparse(keyOf('/other'))).toBeNull();
    expect(transactions).not.toHaveBeenCalled();
    // Another storage on the same database (a new worker) reads the keys once, then finds it.
    const again = newSparseIdb({ name: storage.name });
    expect((await again.lookupSparse(KEY))?.spans).toEqual([{ start: 0, end: 8 }]);
  });

  it('read the piece holding the first byte asked for in the lookup transaction', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    await storage.lookupSparse(keyOf('/other')); // the keys are known: no transaction for them
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const readFrom = vi.fn(() => 5);
    const found = await storage.lookupSparse(KEY, readFrom);
    expect(readFrom).toHaveBeenCalledWith(LENGTH);
    found!.hit.seek(5, 8);
    // Pieces are 4 bytes: [4, 8) holds byte 5, and the read ends with it.
    expect(await found!.hit.readBody()).toEqual(BODY.subarray(5, 8));
    expect(await found!.hit.readBody()).toBeNull();
    expect(transactions).toHaveBeenCalledTimes(1);
    // Other bytes are read in a transaction of their own, several pieces at a time.
    found!.hit.seek(2, 8);
    expect(await readAll(found!.hit)).toEqual(BODY.subarray(2, 8));
    expect(transactions).toHaveBeenCalledTimes(2);
    const again = await storage.lookupSparse(KEY);
    again!.hit.seek(1, 8);
    expect(await readAll(again!.hit)).toEqual(BODY.subarray(1, 8));
    expect(transactions).toHaveBeenCalledTimes(4);
  });

  it('forget a key whose sparse entry is gone, until pieces of it are stored again', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    expect(await storePiece(storage, 8, BODY.subarray(8))).toBe('complete');
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    expect(await storage.lookupSparse(KEY)).toBeNull();
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(await storage.lookupSparse(KEY)).toBeNull();
    expect(transactions).toHaveBeenCalledTimes(1);
    await storage.purge(KEY, 'invalidation');
    await storePiece(storage, 4, BODY.subarray(4, 10));
    expect((await storage.lookupSparse(KEY))?.spans).toEqual([{ start: 4, end: 10 }]);
  });

  it('read no piece with the lookup for a first byte not held', async () => {
    const storage = newSparseIdb();
    await storePiece(storage, 0, BODY.subarray(0, 8));
    await storage.lookupSparse(keyOf('/other'));
    const requests = vi.spyOn(IDBObjectStore.prototype, 'openCursor');
    const found = await storage.lookupSparse(KEY, () => 12);
    expect(requests).not.toHaveBeenCalled();
    found!.hit.seek(12, 14);
    await expect(readAll(found!.hit)).rejects.toThrow(StorageError);
    found!.hit.seek(0, 3);
    expect(await readAll(found!.hit)).toEqual(BODY.subarray(0, 3));
  });
});
