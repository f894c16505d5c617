import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { StorageError, readAll } from '../../core/storage.ts';
import { CompositionStorage } from '../composition/composition.ts';
import type { CacheDbSchema } from './idb-schema.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { newDbName, newIdb } from '../testing/idb.ts';
import { bytes, isPending, keyOf, metaOf } from '../testing/support.ts';
import { remoteFollowing } from './remote-following.ts';
import { FakeLocks, FAST_POLL, NO_POLL, twoContexts, trackChannel } from '../testing/contexts.ts';
import { parseWriteMessage, writesChannelName } from './write-notifier.ts';

/** How many chunk records the database holds (a separate connection). */
async function chunkCount(name: string): Promise<number> {
  const db = await openDB<CacheDbSchema>(name);
  const count = await db.count('body');
  db.close();
  return count;
}

describe('IdbStorage following a write of another context', () => {
  it('reads each chunk as the writer stores it and ends exactly with the write', async () => {
    const { a, b, locks } = twoContexts();
    const key = keyOf('/remote');
    const miss = await a.getMissHandler(key, metaOf(203));
    expect(locks.count).toBe(1); // the writer lock, held from before the write is visible
    const found = await b.lookup(key);
    expect(found?.meta.status).toBe(203);
    expect(found?.hit.source).toBe('idb');
    const hit = found!.hit;
    expect(hit.size).toBeUndefined();
    expect(hit.canSeek).toBe(false);

    const first = hit.readBody();
    expect(await isPending(first)).toBe(true); // nothing stored yet
    await miss.write(bytes(6)); // chunk 0 stored; 2 bytes wait in the rechunker
    expect(await first).toEqual(bytes(4)); // woken by the message (polling is off)
    const second = hit.readBody();
    expect(await isPending(second)).toBe(true);
    await miss.write(bytes(4, 6)); // chunk 1
    expect(await second).toEqual(bytes(4, 4));
    const third = hit.readBody();
    await miss.write(bytes(5, 10)); // chunk 2; 3 bytes left
    expect(await third).toEqual(bytes(4, 8));
    const last = hit.readBody();
    expect(await isPending(last)).toBe(true); // the end is not known before the flip
    await miss.finish();
    expect(await last).toEqual(bytes(3, 12));
    expect(await hit.readBody()).toBeNull();
    expect(hit.size).toBe(15);
    expect(locks.count).toBe(0);
  });

  it('gives a byte-identical body to a reader that reads it all while it is written', async () => {
    const { a, b } = twoContexts();
    const key = keyOf('/whole');
    const body = bytes(1000, 7);
    const miss = await a.getMissHandler(key, metaOf());
    const reading = readAll((await b.lookup(key))!.hit);
    for (let i = 0; i < body.byteLength; i += 33) await miss.write(body.subarray(i, i + 33));
    await miss.finish();
    expect(await reading).toEqual(body);
  });

  it('goes on from the compacted body when the write was compacted under the reader', async () => {
    const { a, b } = twoContexts({ a: { compactBodies: true } });
    const key = keyOf('/compacted');
    const miss = await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    await miss.write(bytes(12));
    expect(await hit.readBody()).toEqual(bytes(4));
    await miss.write(bytes(3, 12));
    await miss.finish();
    // The writer compacts its body at once: the follower's next chunks are gone meanwhile.
    await vi.waitFor(async () => expect((await a.lookup(key))!.hit.size).toBe(15));
    await vi.waitFor(async () => {
      const found = await b.lookup(key);
      await found!.hit.finish();
      expect(await chunkCount(a.name)).toBe(1);
    });
    expect(await readAll(hit)).toEqual(bytes(11, 4));
  });

  it('fails the reader when the write is aborted mid-body, never ending short', async () => {
    const { a, b } = twoContexts();
    const key = keyOf('/aborted');
    const miss = await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    await miss.write(bytes(8));
    expect(await hit.readBody()).toEqual(bytes(4));
    expect(await hit.readBody()).toEqual(bytes(4, 4));
    const next = expect(hit.readBody()).rejects.toBeInstanceOf(StorageError);
    await miss.abort();
    await next;
    expect(await b.lookup(key)).toBeNull();
  });

  it('fails the reader of an aborted write found by polling when no message comes', async () => {
    const { a, b } = twoContexts({ channel: false, b: { followPollMs: FAST_POLL } });
    const key = keyOf('/aborted-silently');
    const miss = await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    const read = expect(readAll(hit)).rejects.toBeInstanceOf(StorageError);
    await miss.write(bytes(5));
    await miss.abort();
    await read;
  });

  it('completes by polling when notifications are lost', async () => {
    const { a, b } = twoContexts({ channel: false, b: { followPollMs: FAST_POLL } });
    const key = keyOf('/polled');
    const miss = await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    const reading = readAll(hit);
    await miss.write(bytes(6));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await miss.write(bytes(7, 6));
    await miss.finish();
    expect(await reading).toEqual(bytes(13));
    expect(hit.size).toBe(13);
  });

  it('keeps following its write when the same writer starts a newer one', async () => {
    const { a, b } = twoContexts();
    const key = keyOf('/newer');
    const older = await a.getMissHandler(key, metaOf(200));
    await older.write(bytes(4));
    const hit = (await b.lookup(key))!.hit;
    const reading = readAll(hit);
    const newer = await a.getMissHandler(key, metaOf(203));
    await newer.write(bytes(8, 100));
    // A lookup now follows the newest write in progress (it wins, as in pingora)...
    const later = await b.lookup(key);
    expect(later?.meta.status).toBe(203);
    const laterReading = readAll(later!.hit);
    await older.write(bytes(2, 4));
    await older.finish();
    // ...but the reader that started on the older write gets exactly that body.
    expect(await reading).toEqual(bytes(6));
    await newer.write(bytes(1, 108));
    await newer.finish();
    expect(await laterReading).toEqual(bytes(9, 100));
  });

  it('ignores malformed messages on the writes channel', async () => {
    const { a, b, hub } = twoContexts();
    const stranger = hub.channel();
    trackChannel(stranger);
    const key = keyOf('/malformed');
    const miss = await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    const first = hit.readBody();
    const bodyId = miss.bodyId;
    for (const junk of [
      null,
      'aborted',
      { bodyId, seq: -1, aborted: true },
      { bodyId, seq: 0, aborted: 'yes' },
      { bodyId: 42, seq: 0, aborted: true },
      { bodyId: '', seq: 0, aborted: true },
    ]) {
      stranger.postMessage(junk);
    }
    expect(await isPending(first)).toBe(true); // not woken into a failure
    await miss.write(bytes(4));
    expect(await first).toEqual(bytes(4));
    await miss.finish();
    expect(await hit.readBody()).toBeNull();
  });

  it('does not offer, and stops following, a write whose context died', async () => {
    const { a, b, locks } = twoContexts({ b: { followPollMs: FAST_POLL } });
    const key = keyOf('/dead');
    const miss = await a.getMissHandler(key, metaOf());
    await miss.write(bytes(4));
    const hit = (await b.lookup(key))!.hit;
    expect(await hit.readBody()).toEqual(bytes(4));
    const next = expect(hit.readBody()).rejects.toThrow(/context ended/);
    locks.kill('a');
    await next;
    expect(await b.lookup(key)).toBeNull();
  });

  it('serves the complete entry when the newer write in progress is dead', async () => {
    const { a, b, locks } = twoContexts();
    const key = keyOf('/dead-over-complete');
    const first = await a.getMissHandler(key, metaOf(200));
    await first.write(bytes(3));
    await first.finish();
    const second = await a.getMissHandler(key, metaOf(203));
    await second.write(bytes(4));
    expect((await b.lookup(key))?.meta.status).toBe(203);
    locks.kill('a');
    const found = await b.lookup(key);
    expect(found?.meta.status).toBe(200);
    expect(await readAll(found!.hit)).toEqual(bytes(3));
  });

  it('fails a reader after staleWriterMs without progress', async () => {
    const { a, b } = twoContexts({ b: { staleWriterMs: 40, followPollMs: FAST_POLL } });
    const key = keyOf('/stale');
    await a.getMissHandler(key, metaOf());
    const hit = (await b.lookup(key))!.hit;
    await expect(hit.readBody()).rejects.toThrow(/no progress/);
  });

  it('fails a reader whose body is purged under it', async () => {
    const { a, b } = twoContexts({ b: { followPollMs: FAST_POLL } });
    const key = keyOf('/purged');
    const miss = await a.getMissHandler(key, metaOf());
    await miss.write(bytes(4));
    const hit = (await b.lookup(key))!.hit;
    expect(await hit.readBody()).toEqual(bytes(4));
    await b.purge(key, 'invalidation');
    await expect(hit.readBody()).rejects.toBeInstanceOf(StorageError);
    await expect(miss.finish()).rejects.toBeInstanceOf(StorageError);
  });

  it('is passed through by the composition when memory has nothing', async () => {
    const { a, b } = twoContexts();
    const storage = new CompositionStorage(new MemoryStorage(), b);
    const key = keyOf('/composed');
    const miss = await a.getMissHandler(key, metaOf());
    const found = await storage.lookup(key);
    expect(found?.hit.source).toBe('composition.idb');
    const reading = readAll(found!.hit);
    await miss.write(bytes(10));
    await miss.finish();
    expect(await reading).toEqual(bytes(10));
    // Not copied into memory while followed (only complete L2 hits refill).
    expect((await storage.lookup(key))?.hit.source).toBe('composition.idb');
  });

  it('leaves other contexts seeing only complete entries without locks', async () => {
    const name = newDbName();
    const [a, b] = [newIdb({ name }), newIdb({ name })];
    const key = keyOf('/no-locks');
    const miss = await a.getMissHandler(key, metaOf());
    await miss.write(bytes(8));
    expect(await b.lookup(key)).toBeNull();
    await miss.finish();
    expect(await readAll((await b.lookup(key))!.hit)).toEqual(bytes(8));
  });

  it('follows nothing when the following code is not given, locks or not', async () => {
    const name = newDbName();
    const locks = new FakeLocks();
    const a = newIdb({ name, locks: locks.context('a') });
    const b = newIdb({ name, locks: locks.context('b'), following: remoteFollowing });
    const key = keyOf('/no-following');
    const miss = await a.getMissHandler(key, metaOf());
    await miss.write(bytes(8));
    expect(locks.count).toBe(0); // a registered no followable write
    expect(await b.lookup(key)).toBeNull();
    await miss.finish();
    expect(await readAll((await b.lookup(key))!.hit)).toEqual(bytes(8));
  });

  it('works over real BroadcastChannels', async () => {
    const name = newDbName();
    const locks = new FakeLocks();
    const real: BroadcastChannel[] = [];
    const open = (context: string) => {
      const channel = new BroadcastChannel(writesChannelName(name));
      real.push(channel);
      return newIdb({
        name,
        locks: locks.context(context),
        following: remoteFollowing,
        writesChannel: channel,
        followPollMs: NO_POLL,
      });
    };
    const [a, b] = [open('a'), open('b')];
    try {
      const key = keyOf('/real-channel');
      const miss = await a.getMissHandler(key, metaOf());
      const hit = (await b.lookup(key))!.hit;
      const first = hit.readBody();
      await miss.write(bytes(4));
      expect(await first).toEqual(bytes(4));
      const rest = readAll(hit);
      await miss.write(bytes(2, 4));
      await miss.finish();
      expect(await rest).toEqual(bytes(2, 4));
    } finally {
      for (const channel of real) channel.close();
    }
  });
});

describe('parseWriteMessage', () => {
  it('accepts well-formed steps and keeps only true flags', () => {
    expect(parseWriteMessage({ bodyId: 'b', seq: 3 })).toEqual({ bodyId: 'b', seq: 3 });
    expect(parseWriteMessage({ bodyId: 'b', seq: 3, done: true, aborted: false })).toEqual({
      bodyId: 'b',
      seq: 3,
      done: true,
    });
  });

  it('rejects anything else', () => {
    for (const junk of [
      undefined,
      7,
      { seq: 1 },
      { bodyId: 'b' },
      { bodyId: 'b', seq: 1.5 },
      { bodyId: 'b', seq: Number.NaN },
      { bodyId: 'x'.repeat(129), seq: 1 },
      { bodyId: 'b', seq: 1, done: 1 },
    ]) {
      expect(parseWriteMessage(junk)).toBeNull();
    }
  });
});

describe('crossContextWrites', () => {
  it('is off without Web Locks, and opens the writes channel with them, when first used', async () => {
    const { crossContextWrites } = await import('./cross-context-writes.ts');
    const { vi } = await import('vitest');
    vi.stubGlobal('navigator', {});
    expect(crossContextWrites('db')).toEqual({});
    const locks = new FakeLocks().context('x');
    vi.stubGlobal('navigator', { locks });
    const opened: BroadcastChannel[] = [];
    const Native = BroadcastChannel;
    vi.stubGlobal(
      'BroadcastChannel',
      class extends Native {
        constructor(name: string) {
          super(name);
          opened.push(this);
        }
      },
    );
    const other = new Native('db:writes');
    const options = crossContextWrites('db');
    try {
      expect(options.locks).toBe(locks);
      expect(options.following).toBe(remoteFollowing);
      expect(opened).toEqual([]); // a worker that only serves hits never opens it
      const heard = new Promise((resolve) => (other.onmessage = (event) => resolve(event.data)));
      options.writesChannel!.postMessage({ bodyId: 'b', seq: 1 });
      expect(opened.map((channel) => channel.name)).toEqual(['db:writes']);
      expect(await heard).toEqual({ bodyId: 'b', seq: 1 });
    } finally {
      options.writesChannel?.close?.();
      other.close();
      vi.unstubAllGlobals();
    }
  });
});
