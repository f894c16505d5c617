/**
 * Small in-memory fakes of the core contracts for unit tests: a storage with streaming partial
 * writes, a cache lock and an eviction manager that record what they were asked to do.
 */
import type { CacheKey } from '../key.ts';
import { variantHash } from '../key.ts';
import type { CacheMeta } from '../meta.ts';
import type { CacheLock, Locked, LockStatus } from '../lock.ts';
import type { EvictionManager } from '../eviction.ts';
import type { HitHandler, LookupResult, MissHandler, PurgeType, Storage } from '../storage.ts';
import { StorageError } from '../storage.ts';

export function testKey(primary = 'https://example.test/a', variance?: string): CacheKey {
  return { namespace: 'test', primary, variance };
}

export function testMeta(overrides: Partial<CacheMeta> = {}): CacheMeta {
  return {
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'text/plain']],
    created: 1_000,
    updated: 1_000,
    requestTime: 1_000,
    responseTime: 1_000,
    initialAge: 0,
    freshUntil: 61_000,
    staleWhileRevalidateUntil: 61_000,
    staleIfErrorUntil: 61_000,
    vary: [],
    validators: {},
    tags: [],
    mustRevalidate: false,
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public now = 10_000) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** One body write, complete or in progress; readers follow its chunks. */
interface Write {
  readonly key: CacheKey;
  meta: CacheMeta;
  readonly chunks: Uint8Array[];
  state: 'writing' | 'done' | 'aborted';
  wakeReaders: (() => void)[];
}

class FakeHitHandler implements HitHandler {
  #next = 0;
  finishCount = 0;
  readonly canSeek = false;
  readonly source = 'fake';

  constructor(private readonly write: Write) {}

  get size(): number | undefined {
    if (this.write.state !== 'done') return undefined;
    return this.write.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  }

  async readBody(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.write.chunks[this.#next];
      if (chunk !== undefined) {
        this.#next += 1;
        return chunk;
      }
      if (this.write.state === 'done') return null;
      if (this.write.state === 'aborted') throw new StorageError('the write was aborted');
      await new Promise<void>((resolve) => this.write.wakeReaders.push(resolve));
    }
  }

  finish(): Promise<void> {
    this.finishCount += 1;
    return Promise.resolve();
  }

  seek(): void {
    throw new Error('FakeHitHandler cannot seek');
  }
}

class FakeMissHandler implements MissHandler {
  abortCount = 0;

  constructor(
    private readonly entry: Write,
    private readonly onFinish: (write: Write) => void,
  ) {}

  write(chunk: Uint8Array): Promise<void> {
    if (this.entry.state !== 'writing') return Promise.reject(new StorageError('write is closed'));
    this.entry.chunks.push(chunk);
    this.#wake();
    return Promise.resolve();
  }

  finish(): Promise<number> {
    if (this.entry.state !== 'writing') return Promise.reject(new StorageError('write is closed'));
    this.entry.state = 'done';
    this.onFinish(this.entry);
    this.#wake();
    return Promise.resolve(this.entry.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  }

  abort(): Promise<void> {
    this.abortCount += 1;
    if (this.entry.state === 'writing') this.entry.state = 'aborted';
    this.#wake();
    return Promise.resolve();
  }

  #wake(): void {
    const readers = this.entry.wakeReaders;
    this.entry.wakeReaders = [];
    for (const wake of readers) wake();
  }
}

type StorageOperation = 'lookup' | 'getMissHandler' | 'purge' | 'updateMeta';

/**
 * An in-memory {@link Storage}. With `streaming`, `lookup` prefers a write in progress (so an
 * expired entry's replacement is visible while it lands), like pingora's `MemCache`.
 */
export class FakeStorage implements Storage {
  readonly label = 'fake';
  readonly supportsStreamingPartialWrite: boolean;
  readonly lookups: CacheKey[] = [];
  readonly purges: { key: CacheKey; type: PurgeType }[] = [];
  readonly metaUpdates: { key: CacheKey; meta: CacheMeta }[] = [];
  readonly missHandlers: FakeMissHandler[] = [];
  readonly hitHandlers: FakeHitHandler[] = [];
  /** Operations that reject with a `StorageError`. */
  readonly failing = new Set<StorageOperation>();
  readonly #complete = new Map<string, Write>();
  readonly #writing = new Map<string, Write>();

  constructor(options: { streaming?: boolean } = {}) {
    this.supportsStreamingPartialWrite = options.streaming ?? false;
  }

  /** Stores a complete entry. */
  put(key: CacheKey, meta: CacheMeta, body: string | Uint8Array = 'body'): void {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.#complete.set(variantHash(key), {
      key,
      meta,
      chunks: [bytes],
      state: 'done',
      wakeReaders: [],
    });
  }

  /** The complete entry for `key`, for assertions. */
  stored(key: CacheKey): { meta: CacheMeta; body: string } | undefined {
    const write = this.#complete.get(variantHash(key));
    if (write === undefined) return undefined;
    const body = write.chunks.map((chunk) => new TextDecoder().decode(chunk)).join('');
    return { meta: write.meta, body };
  }

  lookup(key: CacheKey): Promise<LookupResult | null> {
    this.lookups.push(key);
    return this.#run('lookup', () => {
      const hash = variantHash(key);
      const writing = this.supportsStreamingPartialWrite ? this.#writing.get(hash) : undefined;
      return this.#result(writing ?? this.#complete.get(hash));
    });
  }

  getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler> {
    return this.#run('getMissHandler', () => this.#startWrite(key, meta));
  }

  #startWrite(key: CacheKey, meta: CacheMeta): MissHandler {
    const hash = variantHash(key);
    const write: Write = {
      key,
      meta,
      chunks: [],
      state: 'writing',
      wakeReaders: [],
    };
    this.#writing.set(hash, write);
    const handler = new FakeMissHandler(write, (done) => {
      if (this.#writing.get(hash) === done) this.#writing.delete(hash);
      this.#complete.set(hash, done);
    });
    this.missHandlers.push(handler);
    return handler;
  }

  purge(key: CacheKey, type: PurgeType): Promise<boolean> {
    this.purges.push({ key, type });
    return this.#run('purge', () => this.#complete.delete(variantHash(key)));
  }

  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    this.metaUpdates.push({ key, meta });
    return this.#run('updateMeta', () => {
      const write = this.#complete.get(variantHash(key));
      if (write !== undefined) write.meta = meta;
      return write !== undefined;
    });
  }

  #result(write: Write | undefined): LookupResult | null {
    if (write === undefined) return null;
    const hit = new FakeHitHandler(write);
    this.hitHandlers.push(hit);
    return { meta: write.meta, hit };
  }

  /** Runs `body` as the storage operation, or rejects when the test made it fail. */
  #run<T>(operation: StorageOperation, body: () => T): Promise<T> {
    if (this.failing.has(operation)) {
      return Promise.reject(new StorageError(`${operation} failed (injected)`));
    }
    return Promise.resolve(body());
  }
}

/**
 * A {@link CacheLock} for one context: the first `lock(key)` gets the write permit, later ones a
 * read lock that resolves with the status the writer releases with. Records every release.
 */
export class RecordingCacheLock implements CacheLock {
  readonly requests: CacheKey[] = [];
  readonly releases: { key: CacheKey; status: LockStatus }[] = [];
  readonly #held = new Map<string, { status?: LockStatus; wake: ((s: LockStatus) => void)[] }>();

  /** The statuses released so far, in order. */
  get statuses(): LockStatus[] {
    return this.releases.map((release) => release.status);
  }

  isHeld(key: CacheKey): boolean {
    return this.#held.has(variantHash(key));
  }

  lock(key: CacheKey): Promise<Locked> {
    this.requests.push(key);
    const hash = variantHash(key);
    const holder = this.#held.get(hash);
    if (holder !== undefined) {
      const wait = (): Promise<LockStatus> =>
        holder.status !== undefined
          ? Promise.resolve(holder.status)
          : new Promise((resolve) => holder.wake.push(resolve));
      return Promise.resolve({ kind: 'read', wait });
    }
    const entry: { status?: LockStatus; wake: ((s: LockStatus) => void)[] } = { wake: [] };
    this.#held.set(hash, entry);
    const release = (status: LockStatus): void => {
      if (entry.status !== undefined) return;
      entry.status = status;
      this.releases.push({ key, status });
      this.#held.delete(hash);
      for (const wake of entry.wake) wake(status);
    };
    return Promise.resolve({ kind: 'write', release });
  }
}

/** An {@link EvictionManager} that records calls and evicts what the test queued. */
export class RecordingEvictionManager implements EvictionManager {
  readonly admitted: { key: CacheKey; size: number; freshUntil: number }[] = [];
  readonly accessed: { key: CacheKey; size: number; freshUntil: number }[] = [];
  readonly removed: CacheKey[] = [];
  /** Returned (and emptied) by the next `admit`. */
  toEvict: CacheKey[] = [];

  admit(key: CacheKey, size: number, freshUntil: number): CacheKey[] {
    this.admitted.push({ key, size, freshUntil });
    const evicted = this.toEvict;
    this.toEvict = [];
    return evicted;
  }

  access(key: CacheKey, size: number, freshUntil: number): boolean {
    this.accessed.push({ key, size, freshUntil });
    return true;
  }

  remove(key: CacheKey): void {
    this.removed.push(key);
  }
}
