import { describe, expect, it } from 'vitest';
import { StorageError, readAll } from '../../core/storage.ts';
import { MemoryStorage } from './memory.ts';
import { bodyOf, bytes, isPending, keyOf, metaOf, store } from '../testing/support.ts';

describe('MemoryStorage basics', () => {
  it('misses, then serves the whole body after finish, labelled memory', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/a');
    expect(await storage.lookup(key)).toBeNull();
    const miss = await storage.getMissHandler(key, metaOf(201));
    await miss.write(bytes(5));
    await miss.write(bytes(5, 5));
    expect(await miss.finish()).toBe(10);
    const found = await storage.lookup(key);
    expect(found?.meta.status).toBe(201);
    expect(found?.hit.source).toBe('memory');
    expect(found?.hit.size).toBe(10);
    expect(await readAll(found!.hit)).toEqual(bytes(10));
    expect(storage.label).toBe('memory');
    expect(storage.supportsStreamingPartialWrite).toBe(true);
  });

  it('keeps its own copy of written chunks', async () => {
    const storage = new MemoryStorage();
    const chunk = bytes(4);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await miss.write(chunk);
    chunk.fill(0);
    await miss.finish();
    expect(await bodyOf(storage, keyOf('/a'))).toEqual(bytes(4));
  });

  it('keeps variants apart and drops everything after abort', async () => {
    const storage = new MemoryStorage();
    await store(storage, keyOf('/v', 'gzip'), bytes(3));
    expect(await bodyOf(storage, keyOf('/v', 'br'))).toBeNull();
    expect(await bodyOf(storage, keyOf('/v', 'gzip'))).toEqual(bytes(3));
    const miss = await storage.getMissHandler(keyOf('/x'), metaOf());
    await miss.write(bytes(3));
    await miss.abort();
    expect(await storage.lookup(keyOf('/x'))).toBeNull();
    expect(storage.byteSize).toBe(3);
  });

  it('updateMeta replaces the meta and keeps the body; purge removes the entry', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/m');
    expect(await storage.updateMeta(key, metaOf(204))).toBe(false);
    await store(storage, key, bytes(8));
    expect(await storage.updateMeta(key, metaOf(204))).toBe(true);
    const found = await storage.lookup(key);
    expect(found?.meta.status).toBe(204);
    expect(await readAll(found!.hit)).toEqual(bytes(8));
    expect(await storage.purge(key, 'invalidation')).toBe(true);
    expect(await storage.lookup(key)).toBeNull();
    expect(await storage.purge(key, 'invalidation')).toBe(false);
    expect(storage.byteSize).toBe(0);
  });
});

describe('MemoryStorage streaming partial writes', () => {
  it('lets a reader follow a write chunk by chunk and end exactly when the writer finishes', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/s');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(Uint8Array.of(1, 2));
    const found = await storage.lookup(key);
    expect(found?.hit.size).toBeUndefined();
    expect(found?.hit.canSeek).toBe(false);
    const hit = found!.hit;
    expect(await hit.readBody()).toEqual(Uint8Array.of(1, 2));
    const next = hit.readBody();
    expect(await isPending(next)).toBe(true);
    await miss.write(Uint8Array.of(3));
    expect(await next).toEqual(Uint8Array.of(3));
    const end = hit.readBody();
    expect(await isPending(end)).toBe(true);
    await miss.finish();
    expect(await end).toBeNull();
    expect(hit.size).toBe(3);
  });

  it('fails a reader that already started when the writer aborts (never a short body)', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/s');
    await store(storage, key, bytes(4)); // an older complete entry
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(bytes(2, 100));
    const hit = (await storage.lookup(key))!.hit;
    expect(await hit.readBody()).toEqual(bytes(2, 100));
    const waiting = hit.readBody();
    await miss.abort(new Error('upstream reset'));
    await expect(waiting).rejects.toBeInstanceOf(StorageError);
    await expect(hit.readBody()).rejects.toBeInstanceOf(StorageError);
    // The previous complete entry is served again.
    expect(await bodyOf(storage, key)).toEqual(bytes(4));
  });

  it('replaces the previous entry atomically; its readers keep their body', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/r');
    await store(storage, key, bytes(6, 0), 2);
    const reader = (await storage.lookup(key))!.hit;
    expect(await reader.readBody()).toEqual(bytes(2, 0));
    await store(storage, key, bytes(6, 50), 2);
    expect(await readAll(reader)).toEqual(bytes(4, 2));
    expect(await bodyOf(storage, key)).toEqual(bytes(6, 50));
    expect(storage.entryCount).toBe(1);
    expect(storage.byteSize).toBe(6);
  });

  it('lookup follows the newest write in progress, over an older write and its entry', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/t');
    const first = await storage.getMissHandler(key, metaOf(200));
    await first.write(Uint8Array.of(1));
    const second = await storage.getMissHandler(key, metaOf(203));
    await second.write(Uint8Array.of(2));
    expect((await storage.lookup(key))?.meta.status).toBe(203);
    await first.finish();
    expect((await storage.lookup(key))?.meta.status).toBe(203); // still being written: newer
    await second.finish();
    expect(await bodyOf(storage, key)).toEqual(Uint8Array.of(2));
  });

  it('a purge hides writes in progress: they finish for their readers but are not published', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/p');
    const miss = await storage.getMissHandler(key, metaOf());
    await miss.write(bytes(3));
    const hit = (await storage.lookup(key))!.hit;
    expect(await storage.purge(key, 'invalidation')).toBe(true);
    expect(await storage.lookup(key)).toBeNull();
    await miss.write(bytes(2, 3));
    await miss.finish();
    expect(await readAll(hit)).toEqual(bytes(5));
    expect(await storage.lookup(key)).toBeNull();
    expect(storage.byteSize).toBe(0);
  });
});

describe('MemoryStorage seek', () => {
  it('reads only the range [start, end) of a complete body, across chunks', async () => {
    const storage = new MemoryStorage();
    const key = keyOf('/range');
    await store(storage, key, bytes(30), 10);
    const hit = (await storage.lookup(key))!.hit;
    expect(hit.canSeek).toBe(true);
    hit.seek(15, 25);
    expect(await hit.readBody()).toEqual(bytes(5, 15));
    expect(await hit.readBody()).toEqual(bytes(5, 20));
    expect(await hit.readBody()).toBeNull();
    hit.seek(29);
    expect(await readAll(hit)).toEqual(bytes(1, 29));
    hit.seek(30);
    expect(await hit.readBody()).toBeNull();
    hit.seek(10, 20);
    expect(await readAll(hit)).toEqual(bytes(10, 10));
  });

  it('rejects invalid ranges and seeking a body still being written', async () => {
    const storage = new MemoryStorage();
    await store(storage, keyOf('/a'), bytes(10));
    const hit = (await storage.lookup(keyOf('/a')))!.hit;
    expect(() => hit.seek(5, 11)).toThrow(RangeError);
    expect(() => hit.seek(6, 5)).toThrow(RangeError);
    expect(() => hit.seek(-1)).toThrow(RangeError);
    const miss = await storage.getMissHandler(keyOf('/b'), metaOf());
    await miss.write(bytes(2));
    const partial = (await storage.lookup(keyOf('/b')))!.hit;
    expect(() => partial.seek(0, 1)).toThrow(RangeError);
  });
});

describe('MemoryStorage limits', () => {
  it('evicts the least recently used entry past maxEntries', async () => {
    const storage = new MemoryStorage({ maxEntries: 2 });
    await store(storage, keyOf('/1'), bytes(1));
    await store(storage, keyOf('/2'), bytes(1));
    await bodyOf(storage, keyOf('/1')); // /1 is now the most recent
    await store(storage, keyOf('/3'), bytes(1));
    expect(storage.entryCount).toBe(2);
    expect(await storage.lookup(keyOf('/2'))).toBeNull();
    expect(await bodyOf(storage, keyOf('/1'))).toEqual(bytes(1));
    expect(await bodyOf(storage, keyOf('/3'))).toEqual(bytes(1));
  });

  it('stays within maxBytes, counting writes in progress', async () => {
    const storage = new MemoryStorage({ maxBytes: 100, maxBodyBytes: 100 });
    await store(storage, keyOf('/1'), bytes(40));
    await store(storage, keyOf('/2'), bytes(40));
    const miss = await storage.getMissHandler(keyOf('/3'), metaOf());
    await miss.write(bytes(30));
    expect(await storage.lookup(keyOf('/1'))).toBeNull();
    expect(storage.byteSize).toBe(70);
    await miss.finish();
    expect(storage.byteSize).toBe(70);
    expect(storage.entryCount).toBe(2);
  });

  it('refuses bodies over maxBodyBytes: by Content-Length up front, or by failing the write and its followers', async () => {
    const storage = new MemoryStorage({ maxBytes: 1000, maxBodyBytes: 10 });
    await expect(
      storage.getMissHandler(keyOf('/big'), metaOf(200, [['content-length', '11']])),
    ).rejects.toBeInstanceOf(StorageError);
    // A malformed length (not 1*DIGIT) declares nothing: the bytes decide.
    for (const malformed of ['1e3', '0x10', '11, 11']) {
      const declaredBadly = metaOf(200, [['content-length', malformed]]);
      const started = await storage.getMissHandler(keyOf(`/${malformed}`), declaredBadly);
      await expect(started.write(bytes(11))).rejects.toBeInstanceOf(StorageError);
    }
    const miss = await storage.getMissHandler(keyOf('/grow'), metaOf());
    await miss.write(bytes(8));
    const hit = (await storage.lookup(keyOf('/grow')))!.hit;
    await hit.readBody();
    const waiting = hit.readBody();
    await expect(miss.write(bytes(3))).rejects.toBeInstanceOf(StorageError);
    await expect(waiting).rejects.toBeInstanceOf(StorageError);
    expect(await storage.lookup(keyOf('/grow'))).toBeNull();
    expect(storage.byteSize).toBe(0);
  });
});
