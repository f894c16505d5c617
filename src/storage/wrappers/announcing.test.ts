import { describe, expect, it } from 'vitest';
import type { CacheEvent } from '../../protocol/events.ts';
import { cacheEvent } from '../../protocol/events.ts';
import type { CacheKey } from '../../core/key.ts';
import type { PieceWriter, SparseOutcome } from '../../core/storage.ts';
import { FakeStorage, testKey, testMeta } from '../../core/testing/fakes.ts';
import type { EventReceiver } from './announcing.ts';
import { AnnouncingStorage, dropLocalCopies, listenForEvictions } from './announcing.ts';

class RecordingChannel {
  readonly posted: unknown[] = [];
  failing = false;
  postMessage(message: unknown): void {
    if (this.failing) throw new Error('channel closed');
    // A real channel structured-clones: prove the event survives it.
    this.posted.push(structuredClone(message));
  }
}

/** A channel that delivers what the test sends to its listeners. */
class FakeReceiver implements EventReceiver {
  readonly #listeners = new Set<(event: { data: unknown }) => void>();
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.#listeners.delete(listener);
  }
  deliver(data: unknown): void {
    for (const listener of this.#listeners) listener({ data });
  }
}

function setup(): { inner: FakeStorage; channel: RecordingChannel; storage: AnnouncingStorage } {
  const inner = new FakeStorage();
  const channel = new RecordingChannel();
  const storage = new AnnouncingStorage(inner, channel, { source: 'me', now: () => 42 });
  return { inner, channel, storage };
}

const a = testKey('https://example.test/a');
const b = testKey('https://example.test/b', 'gzip');

describe('AnnouncingStorage', () => {
  it('passes lookups through without posting', async () => {
    const { inner, channel, storage } = setup();
    inner.put(a, testMeta(), 'hello');
    expect((await storage.lookup(a))?.meta.status).toBe(200);
    expect(await storage.lookup(b)).toBeNull();
    expect(inner.lookups).toEqual([a, b]);
    expect(channel.posted).toEqual([]);
    expect(storage.label).toBe('fake');
  });

  it('posts stored when a miss finishes, not before and not on abort', async () => {
    const { channel, storage } = setup();
    const miss = await storage.getMissHandler(b, testMeta());
    await miss.write(new TextEncoder().encode('abc'));
    expect(channel.posted).toEqual([]);
    expect(await miss.finish()).toBe(3);
    expect(channel.posted).toEqual([
      {
        type: 'stored',
        keys: [{ namespace: 'test', primary: 'https://example.test/b', variance: 'gzip' }],
        source: 'me',
        time: 42,
      },
    ]);
    const aborted = await storage.getMissHandler(a, testMeta());
    await aborted.abort();
    await expect(aborted.finish()).rejects.toThrow();
    expect(channel.posted).toHaveLength(1);
  });

  it('posts stored when a piece completes its entry, not when it leaves it sparse or aborts', async () => {
    const inner = new FakeStorage();
    const outcomes: SparseOutcome[] = ['partial', 'complete'];
    let aborted = 0;
    const writer = (): PieceWriter => ({
      write: () => Promise.resolve(),
      finish: () => Promise.resolve(outcomes.shift()!),
      abort: () => {
        aborted += 1;
        return Promise.resolve();
      },
    });
    const channel = new RecordingChannel();
    const storage = new AnnouncingStorage(
      Object.assign(inner, { getPieceWriter: () => Promise.resolve(writer()) }),
      channel,
      { source: 'me', now: () => 42 },
    );
    const piece = { meta: testMeta(), representation: { length: 6, validator: { etag: '"v"' } } };
    const first = await storage.getPieceWriter(a, { ...piece, offset: 0 });
    await first.write(new TextEncoder().encode('abc'));
    expect(await first.finish()).toBe('partial');
    expect(channel.posted).toEqual([]);
    await (await storage.getPieceWriter(a, { ...piece, offset: 0 })).abort();
    expect(aborted).toBe(1);
    expect(channel.posted).toEqual([]);
    const last = await storage.getPieceWriter(a, { ...piece, offset: 3 });
    expect(await last.finish()).toBe('complete');
    expect(channel.posted).toEqual([
      {
        type: 'stored',
        keys: [{ namespace: 'test', primary: 'https://example.test/a' }],
        source: 'me',
        time: 42,
      },
    ]);
  });

  it('posts evicted or purged for purges that removed something', async () => {
    const { inner, channel, storage } = setup();
    inner.put(a, testMeta());
    inner.put(b, testMeta());
    expect(await storage.purge(a, 'eviction')).toBe(true);
    expect(await storage.purge(b, 'invalidation')).toBe(true);
    expect(await storage.purge(b, 'invalidation')).toBe(false);
    expect(channel.posted).toMatchObject([
      { type: 'evicted', keys: [{ primary: 'https://example.test/a' }] },
      { type: 'purged', keys: [{ primary: 'https://example.test/b' }] },
    ]);
  });

  it('posts updated after a successful updateMeta only', async () => {
    const { inner, channel, storage } = setup();
    inner.put(a, testMeta());
    expect(await storage.updateMeta(a, testMeta({ status: 203 }))).toBe(true);
    expect(await storage.updateMeta(b, testMeta())).toBe(false);
    expect(channel.posted).toMatchObject([{ type: 'updated', keys: [{ primary: a.primary }] }]);
  });

  it('posts nothing when storage fails, and lets the error through', async () => {
    const { inner, channel, storage } = setup();
    inner.failing.add('purge');
    await expect(storage.purge(a, 'eviction')).rejects.toThrow('injected');
    expect(channel.posted).toEqual([]);
  });

  it('reports a failing channel without failing the storage operation', async () => {
    const { inner, channel } = setup();
    const errors: [unknown, CacheEvent][] = [];
    const storage = new AnnouncingStorage(inner, channel, {
      source: 'me',
      onError: (error, event) => errors.push([error, event]),
    });
    inner.put(a, testMeta());
    channel.failing = true;
    expect(await storage.purge(a, 'eviction')).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]![1].type).toBe('evicted');
  });

  it('announces cleared with no keys', () => {
    const { channel, storage } = setup();
    storage.announce('cleared', []);
    expect(channel.posted).toEqual([{ type: 'cleared', keys: [], source: 'me', time: 42 }]);
  });
});

describe('listenForEvictions', () => {
  it('delivers valid events from other sources only, until stopped', () => {
    const channel = new FakeReceiver();
    const received: CacheEvent[] = [];
    const stop = listenForEvictions(channel, 'me', (event) => received.push(event));
    channel.deliver(cacheEvent('evicted', [a], 'other', 1));
    channel.deliver(cacheEvent('evicted', [b], 'me', 2));
    channel.deliver({ type: 'evicted', keys: [{ primary: 'x' }], source: 'other', time: 3 });
    channel.deliver('garbage');
    channel.deliver(null);
    expect(received).toEqual([cacheEvent('evicted', [a], 'other', 1)]);
    stop();
    channel.deliver(cacheEvent('purged', [a], 'other', 4));
    expect(received).toHaveLength(1);
  });
});

describe('dropLocalCopies', () => {
  class RecordingMemory {
    readonly purged: CacheKey[] = [];
    cleared = 0;
    purge(key: CacheKey): Promise<boolean> {
      this.purged.push(key);
      return Promise.resolve(true);
    }
    clear(): Promise<void> {
      this.cleared += 1;
      return Promise.resolve();
    }
  }

  it('purges every key of any change, and clears on cleared', () => {
    const memory = new RecordingMemory();
    const drop = dropLocalCopies(memory);
    drop(cacheEvent('evicted', [a, b], 'other', 1));
    drop(cacheEvent('stored', [a], 'other', 2));
    drop(cacheEvent('cleared', [], 'other', 3));
    expect(memory.purged.map((k) => k.primary)).toEqual([a.primary, b.primary, a.primary]);
    expect(memory.purged[1]?.variance).toBe('gzip');
    expect(memory.cleared).toBe(1);
  });

  it('reports a failing purge instead of leaking a rejection', async () => {
    const errors: unknown[] = [];
    const memory = {
      purge: () => Promise.reject(new Error('no')),
      clear: () => Promise.resolve(),
    };
    dropLocalCopies(memory, (error) => errors.push(error))(cacheEvent('purged', [a], 'o', 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
  });
});

describe('over a real BroadcastChannel', () => {
  it('delivers one context’s eviction to another', async () => {
    const worker = new BroadcastChannel('announcing-test:events');
    const page = new BroadcastChannel('announcing-test:events');
    try {
      const inner = new FakeStorage();
      inner.put(a, testMeta());
      const storage = new AnnouncingStorage(inner, worker, { source: 'worker' });
      const received = new Promise<CacheEvent>((resolve) => {
        listenForEvictions(page, 'page', resolve);
      });
      await storage.purge(a, 'eviction');
      const event = await received;
      expect(event).toEqual(cacheEvent('evicted', [a], 'worker', event.time));
    } finally {
      worker.close();
      page.close();
    }
  });
});
