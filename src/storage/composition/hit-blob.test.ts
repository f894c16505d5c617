import { describe, expect, it, vi } from 'vitest';
import type { HitHandler, MissHandler } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { CompositionStorage } from './composition.ts';
import { LabeledHitHandler } from './labeled-hit.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { REFILL_FROM_BLOB_MAX_BYTES, RefillHitHandler } from './refill-hit.ts';
import { bodyOf, bytes, keyOf, metaOf, store } from '../testing/support.ts';
import { newIdb } from '../testing/idb.ts';

/** A complete hit of `size` bytes whose `blob()` answers `blob` (no `blob` method if omitted). */
function fakeHit(size: number, blob?: () => Promise<Blob | null>): HitHandler {
  const hit: HitHandler = {
    source: 'fake',
    canSeek: true,
    size,
    seek: () => undefined,
    readBody: () => Promise.resolve(null),
    finish: () => Promise.resolve(),
  };
  return blob === undefined ? hit : { ...hit, blob };
}

/** A miss handler that records what it was asked. */
function recordingMiss() {
  const calls: string[] = [];
  const written: Uint8Array[] = [];
  const miss: MissHandler = {
    write: (chunk) => {
      calls.push('write');
      written.push(chunk);
      return Promise.resolve();
    },
    finish: () => {
      calls.push('finish');
      return Promise.resolve(written.reduce((n, c) => n + c.byteLength, 0));
    },
    abort: () => {
      calls.push('abort');
      return Promise.resolve();
    },
  };
  return { miss, calls, written };
}

describe('LabeledHitHandler.blob', () => {
  it("passes the inner hit's Blob through, and is null when the inner hit has none", async () => {
    const blob = new Blob([bytes(3).slice()]);
    expect(
      await new LabeledHitHandler(
        fakeHit(3, () => Promise.resolve(blob)),
        'x',
      ).blob(),
    ).toBe(blob);
    expect(await new LabeledHitHandler(fakeHit(3), 'x').blob()).toBeNull();
  });
});

describe('RefillHitHandler.blob', () => {
  it('copies a small body from its Blob into the faster layer, off the reader', async () => {
    const body = bytes(10);
    const { miss, calls, written } = recordingMiss();
    const onError = vi.fn();
    const hit = new RefillHitHandler(
      fakeHit(10, () => Promise.resolve(new Blob([body.slice()]))),
      'x',
      miss,
      onError,
    );
    const blob = await hit.blob();
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(body);
    await hit.finish(); // the response holds the Blob: the handler is released at once
    await vi.waitFor(() => expect(calls).toEqual(['write', 'finish']));
    expect(written).toEqual([body]);
    expect(hit.refilling).toBe(false);
    expect(onError).not.toHaveBeenCalled();
  });

  it('drops the copy of a body larger than the limit', async () => {
    const size = REFILL_FROM_BLOB_MAX_BYTES + 1;
    const { miss, calls } = recordingMiss();
    const hit = new RefillHitHandler(
      fakeHit(size, () => Promise.resolve(new Blob([new Uint8Array(size)]))),
      'x',
      miss,
      () => undefined,
    );
    expect((await hit.blob())?.size).toBe(size);
    expect(calls).toEqual(['abort']);
  });

  it('keeps the copy going through readBody when there is no Blob', async () => {
    const { miss, calls } = recordingMiss();
    const hit = new RefillHitHandler(
      fakeHit(0, () => Promise.resolve(null)),
      'x',
      miss,
      () => undefined,
    );
    expect(await hit.blob()).toBeNull();
    expect(hit.refilling).toBe(true);
    expect(await hit.readBody()).toBeNull();
    expect(calls).toEqual(['finish']);
  });

  it('abandons the copy and rejects when the Blob cannot be had', async () => {
    const { miss, calls } = recordingMiss();
    const failing = () => Promise.reject(new StorageError('chunk gone'));
    const hit = new RefillHitHandler(fakeHit(4, failing), 'x', miss, () => undefined);
    await expect(hit.blob()).rejects.toThrow('chunk gone');
    expect(calls).toEqual(['abort']);
  });
});

/** Memory over IndexedDB, 10 bytes at `path` in IndexedDB only, and the lookup of it. */
async function idbOnlyHit(path: string) {
  const idb = newIdb();
  await store(idb, keyOf(path), bytes(10));
  const memory = new MemoryStorage();
  const storage = new CompositionStorage(memory, idb);
  return { memory, storage, found: await storage.lookup(keyOf(path)) };
}

describe('CompositionStorage with a Blob hit', () => {
  it('hands over the IndexedDB body as a Blob, labelled, and refills memory from it', async () => {
    const { memory, storage, found } = await idbOnlyHit('/b');
    expect(found?.hit.source).toBe('composition.idb');
    const blob = await found!.hit.blob?.();
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes(10));
    await found!.hit.finish();
    await vi.waitFor(async () => expect(await bodyOf(memory, keyOf('/b'))).toEqual(bytes(10)));
    expect((await storage.lookup(keyOf('/b')))?.hit.source).toBe('composition.memory');
  });

  it('hands over a range without refilling memory', async () => {
    const { memory, found } = await idbOnlyHit('/r');
    found!.hit.seek(2, 6);
    const blob = await found!.hit.blob?.();
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes(4, 2));
    await found!.hit.finish();
    expect(await memory.lookup(keyOf('/r'))).toBeNull();
  });

  it('has no Blob for a body memory serves (it streams from memory)', async () => {
    const storage = new CompositionStorage(new MemoryStorage(), newIdb());
    await store(storage, keyOf('/m'), bytes(10), 3, metaOf());
    const found = await storage.lookup(keyOf('/m'));
    expect(found?.hit.source).toBe('composition.memory');
    expect((await found!.hit.blob?.()) ?? null).toBeNull();
  });
});
