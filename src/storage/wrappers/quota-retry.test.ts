import { describe, expect, it } from 'vitest';
import type { CacheKey } from '../../core/key.ts';
import { variantHash } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { LookupResult, MissHandler, PurgeType, Storage } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { FakeStorage } from '../../core/testing/fakes.ts';
import { CompositionStorage } from '../composition/composition.ts';
import { isQuotaExceeded } from '../errors.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { QuotaRetryStorage } from './quota-retry.ts';
import { bodyOf, bytes, keyOf, metaOf } from '../testing/support.ts';

function quotaError(): StorageError {
  const cause = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
  return new StorageError('storing a body chunk failed (storage quota exceeded)', { cause });
}

/**
 * A storage with a byte capacity that behaves like IdbStorage on failure: a write that does not
 * fit rejects with a quota error and discards everything the write stored, and the handler is
 * dead afterwards. `failAt` makes chosen operations fail regardless of space.
 */
class TinyDisk implements Storage {
  readonly label = 'tiny';
  readonly supportsStreamingPartialWrite = false;
  readonly entries = new Map<string, { key: CacheKey; meta: CacheMeta; body: Uint8Array }>();
  readonly started: MissHandler[] = [];
  readonly touched: CacheKey[] = [];
  /** Operations to fail once each: `finish` or `write` (with a quota error) or `broken`. */
  readonly failNext: ('write' | 'finish' | 'broken-write')[] = [];
  used = 0;

  constructor(public capacity: number) {}

  lookup(key: CacheKey): Promise<LookupResult | null> {
    const entry = this.entries.get(variantHash(key));
    if (entry === undefined) return Promise.resolve(null);
    let done = false;
    return Promise.resolve({
      meta: entry.meta,
      hit: {
        readBody: () => {
          const chunk = done ? null : entry.body;
          done = true;
          return Promise.resolve(chunk);
        },
        finish: () => Promise.resolve(),
        canSeek: false,
        seek: () => undefined,
        size: entry.body.byteLength,
        source: this.label,
      },
    });
  }

  getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    const parts: Uint8Array[] = [];
    let held = 0;
    let state: 'writing' | 'dead' | 'done' = 'writing';
    const fail = (error: StorageError): Promise<never> => {
      this.used -= held;
      held = 0;
      state = 'dead';
      return Promise.reject(error);
    };
    const handler: MissHandler = {
      write: (chunk) => {
        if (state !== 'writing') return Promise.reject(new StorageError(`write is ${state}`));
        const injected = this.failNext[0];
        if (injected === 'write' || injected === 'broken-write') {
          this.failNext.shift();
          return fail(injected === 'write' ? quotaError() : new StorageError('disk on fire'));
        }
        if (this.used + chunk.byteLength > this.capacity) return fail(quotaError());
        parts.push(chunk.slice());
        held += chunk.byteLength;
        this.used += chunk.byteLength;
        return Promise.resolve();
      },
      finish: () => {
        if (state !== 'writing') return Promise.reject(new StorageError(`write is ${state}`));
        if (this.failNext[0] === 'finish') {
          this.failNext.shift();
          return fail(quotaError());
        }
        state = 'done';
        const body = new Uint8Array(held);
        let offset = 0;
        for (const part of parts) {
          body.set(part, offset);
          offset += part.byteLength;
        }
        this.entries.set(variantHash(key), { key, meta, body });
        return Promise.resolve(held);
      },
      abort: () => {
        if (state === 'writing') void fail(new StorageError('aborted')).catch(() => undefined);
        return Promise.resolve();
      },
    };
    this.started.push(handler);
    return Promise.resolve(handler);
  }

  purge(key: CacheKey, _type: PurgeType): Promise<boolean> {
    const hash = variantHash(key);
    const entry = this.entries.get(hash);
    if (entry !== undefined) this.used -= entry.body.byteLength;
    return Promise.resolve(this.entries.delete(hash));
  }

  updateMeta(): Promise<boolean> {
    return Promise.resolve(false);
  }

  touch(key: CacheKey): void {
    this.touched.push(key);
  }
}

/** A storage around `disk` whose `makeRoom` frees the space asked for and records it. */
function retrying(disk: TinyDisk, maxReplayBytes?: number) {
  const requests: number[] = [];
  const storage = new QuotaRetryStorage(disk, {
    makeRoom: (needed) => {
      requests.push(needed);
      disk.capacity += needed;
      return Promise.resolve();
    },
    maxReplayBytes,
  });
  return { storage, requests };
}

async function writeAll(miss: MissHandler, body: Uint8Array, chunkSize: number): Promise<void> {
  for (let i = 0; i < body.byteLength; i += chunkSize) {
    await miss.write(body.subarray(i, i + chunkSize));
  }
}

describe('QuotaRetryStorage', () => {
  it('makes room once and replays the body when a write hits the quota', async () => {
    const disk = new TinyDisk(25);
    const { storage, requests } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await writeAll(miss, bytes(40), 10);
    expect(await miss.finish()).toBe(40);
    expect(requests).toEqual([30]);
    expect(disk.started).toHaveLength(2);
    expect(await bodyOf(storage, keyOf('/a'))).toEqual(bytes(40));
    expect(disk.used).toBe(40);
  });

  it('retries a finish that hits the quota', async () => {
    const disk = new TinyDisk(1000);
    const { storage, requests } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await writeAll(miss, bytes(30), 7);
    disk.failNext.push('finish');
    expect(await miss.finish()).toBe(30);
    expect(requests).toEqual([30]);
    expect(await bodyOf(storage, keyOf('/a'))).toEqual(bytes(30));
  });

  it('asks for the Content-Length when it is more than what was written', async () => {
    const disk = new TinyDisk(1000);
    const { storage, requests } = retrying(disk);
    const miss = await storage.getMissHandler(
      keyOf('/a'),
      metaOf(200, [['content-length', '500']]),
    );
    disk.failNext.push('write');
    await miss.write(bytes(10));
    expect(requests).toEqual([500]);
  });

  it('fails with a StorageError when the quota is hit again, after one retry only', async () => {
    const disk = new TinyDisk(1000);
    const { storage, requests } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    disk.failNext.push('write');
    await miss.write(bytes(10));
    disk.failNext.push('write');
    const error: unknown = await miss.write(bytes(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(isQuotaExceeded(error)).toBe(true);
    expect(requests).toEqual([10]);
    expect(disk.entries.size).toBe(0);
  });

  it('fails when the replay itself hits the quota', async () => {
    const disk = new TinyDisk(15);
    const storage = new QuotaRetryStorage(disk, { makeRoom: () => Promise.resolve() });
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await miss.write(bytes(10));
    await expect(miss.write(bytes(10))).rejects.toBeInstanceOf(StorageError);
    expect(disk.started).toHaveLength(2);
    expect(disk.used).toBe(0);
  });

  it('lets other errors through without making room', async () => {
    const disk = new TinyDisk(1000);
    const { storage, requests } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    disk.failNext.push('broken-write');
    await expect(miss.write(bytes(10))).rejects.toThrow('disk on fire');
    expect(requests).toEqual([]);
    expect(disk.started).toHaveLength(1);
  });

  it('fails with a StorageError when making room fails', async () => {
    const disk = new TinyDisk(1000);
    const storage = new QuotaRetryStorage(disk, {
      makeRoom: () => Promise.reject(new Error('cannot evict')),
    });
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    disk.failNext.push('write');
    const error: unknown = await miss.write(bytes(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).cause).toEqual(new Error('cannot evict'));
  });

  it('makes room but does not retry a body larger than the replay limit', async () => {
    const disk = new TinyDisk(1000);
    const { storage, requests } = retrying(disk, 15);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await miss.write(bytes(10));
    await miss.write(bytes(10));
    disk.failNext.push('write');
    const error: unknown = await miss.write(bytes(10)).catch((e: unknown) => e);
    expect(isQuotaExceeded(error)).toBe(true);
    expect(requests).toEqual([30]);
    expect(disk.started).toHaveLength(1);
  });

  it('replays its own copy of the chunks, whatever the caller did with its buffer', async () => {
    const disk = new TinyDisk(1000);
    const { storage } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    const buffer = bytes(8);
    await miss.write(buffer);
    buffer.fill(0);
    disk.failNext.push('finish');
    await miss.finish();
    expect(await bodyOf(storage, keyOf('/a'))).toEqual(bytes(8));
  });

  it('passes everything else through, including access recency', async () => {
    const disk = new TinyDisk(1000);
    const { storage } = retrying(disk);
    const miss = await storage.getMissHandler(keyOf('/a'), metaOf());
    await miss.write(bytes(3));
    await miss.finish();
    expect(storage.label).toBe('tiny');
    expect(storage.supportsStreamingPartialWrite).toBe(false);
    storage.touch(keyOf('/a'));
    expect(disk.touched).toEqual([keyOf('/a')]);
    expect(await storage.purge(keyOf('/a'), 'eviction')).toBe(true);
    expect(await storage.lookup(keyOf('/a'))).toBeNull();
    // An inner storage without touch is fine too.
    new QuotaRetryStorage(new FakeStorage(), { makeRoom: () => Promise.resolve() }).touch(
      keyOf('/a'),
    );
  });

  it('keeps the durable copy when it wraps the layer behind a composition', async () => {
    const disk = new TinyDisk(25);
    const { storage: durable, requests } = retrying(disk);
    const errors: unknown[] = [];
    const composition = new CompositionStorage(new MemoryStorage(), durable, {
      onError: (error) => errors.push(error),
    });
    const miss = await composition.getMissHandler(keyOf('/a'), metaOf());
    await writeAll(miss, bytes(40), 10);
    expect(await miss.finish()).toBe(40);
    expect(requests).toEqual([30]);
    expect(errors).toEqual([]);
    expect(await bodyOf(disk, keyOf('/a'))).toEqual(bytes(40));
  });
});
