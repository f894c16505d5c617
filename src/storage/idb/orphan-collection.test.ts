import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { IdbConnection } from './idb-connection.ts';
import { IdbStorage } from './idb.ts';
import type { CacheDbSchema } from './idb-schema.ts';
import { collectOrphans } from './orphan-collection.ts';
import { bodyOf, bytes, keyOf, metaOf, store } from '../testing/support.ts';

const STALE_MS = 60_000;
let dbCount = 0;
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});

function setup() {
  const name = `orphan-collection-${++dbCount}`;
  let now = 1_000_000;
  const storage = new IdbStorage({
    name,
    chunkSize: 4,
    collectOrphansOnOpen: false,
    now: () => now,
  });
  const connection = new IdbConnection(name);
  cleanup.push(async () => {
    await storage.close();
    await connection.close();
    await deleteDB(name);
  });
  const collect = (liveWriters: ReadonlySet<string> = new Set(), batchSize = 2) =>
    collectOrphans({ connection, liveWriters, staleWriterMs: STALE_MS, now: () => now, batchSize });
  return {
    name,
    storage,
    collect,
    advance: (ms: number) => (now += ms),
  };
}

async function chunkIds(name: string): Promise<string[]> {
  const db = await openDB<CacheDbSchema>(name);
  try {
    return [...new Set((await db.getAllKeys('body')).map(([bodyId]) => bodyId))].sort();
  } finally {
    db.close();
  }
}

describe('collectOrphans in batches', () => {
  it('deletes only the bodies of dead writers, across many small transactions', async () => {
    const { name, storage, collect, advance } = setup();
    for (let i = 0; i < 5; i++) await store(storage, keyOf(`/kept-${i}`), bytes(9)); // 3 chunks each
    const dead = [];
    for (let i = 0; i < 3; i++) {
      const miss = await storage.getMissHandler(keyOf(`/dead-${i}`), metaOf());
      await miss.write(bytes(8)); // 2 chunks, never finished: a stopped worker
      dead.push(miss.bodyId);
    }
    advance(STALE_MS + 1);
    expect(await collect()).toBe(6);
    expect(await collect()).toBe(0);
    const left = await chunkIds(name);
    expect(left).toHaveLength(5);
    for (const id of dead) expect(left).not.toContain(id);
    for (let i = 0; i < 5; i++)
      expect(await bodyOf(storage, keyOf(`/kept-${i}`))).toEqual(bytes(9));
  });

  it('spares writers that are live here or whose heartbeat is recent', async () => {
    const { name, storage, collect, advance } = setup();
    const here = await storage.getMissHandler(keyOf('/here'), metaOf());
    await here.write(bytes(8));
    advance(STALE_MS + 1);
    const recent = await storage.getMissHandler(keyOf('/recent'), metaOf());
    await recent.write(bytes(8));
    expect(await collect(new Set([here.bodyId]))).toBe(0);
    expect(await chunkIds(name)).toEqual([here.bodyId, recent.bodyId].sort());
    await here.finish();
    await recent.finish();
    expect(await bodyOf(storage, keyOf('/here'))).toEqual(bytes(8));
  });

  it('never deletes a write that starts while the collection runs', async () => {
    const { name, storage, advance } = setup();
    for (let i = 0; i < 6; i++) await store(storage, keyOf(`/e-${i}`), bytes(5));
    const stale = await storage.getMissHandler(keyOf('/stale'), metaOf());
    await stale.write(bytes(4));
    advance(STALE_MS + 1);
    // A new write lands its first chunks just as the collection moves from its first step to the
    // second (whichever order they run in).
    const real = new IdbConnection(name);
    cleanup.push(() => real.close());
    let firstStep: string | undefined;
    let fresh: Awaited<ReturnType<IdbStorage['getMissHandler']>> | undefined;
    const connection: Pick<IdbConnection, 'run'> = {
      run: async (label, operation) => {
        firstStep ??= label;
        if (label !== firstStep && fresh === undefined) {
          fresh = await storage.getMissHandler(keyOf('/fresh'), metaOf());
          await fresh.write(bytes(12));
        }
        return real.run(label, operation);
      },
    };
    const removed = await collectOrphans({
      connection,
      liveWriters: new Set(),
      staleWriterMs: STALE_MS,
      now: () => 1_000_000 + STALE_MS + 1,
      batchSize: 2,
    });
    expect(removed).toBe(1);
    await fresh!.finish();
    expect(await bodyOf(storage, keyOf('/fresh'))).toEqual(bytes(12));
  });

  it('deletes malformed records and the chunks only they pointed to', async () => {
    const { name, storage, collect } = setup();
    await store(storage, keyOf('/good'), bytes(6));
    const db = await openDB<CacheDbSchema>(name);
    const tx = db.transaction(['meta', 'body'], 'readwrite');
    await tx.objectStore('meta').put({ hash: 'garbage', size: 'big' } as never);
    await tx.objectStore('body').put({ bodyId: 'lost', seq: 0, data: bytes(3) });
    await tx.done;
    db.close();
    expect(await collect()).toBe(1);
    const check = await openDB<CacheDbSchema>(name);
    expect(await check.getAllKeys('meta')).toHaveLength(1);
    check.close();
    expect(await bodyOf(storage, keyOf('/good'))).toEqual(bytes(6));
  });
});
