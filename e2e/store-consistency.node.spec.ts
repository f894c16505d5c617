/** The IndexedDB consistency checker finds each kind of problem, and nothing in a sound store. */
import { expect, test } from '@playwright/test';
import type { CacheDbSnapshot, StoredChunk, StoredMeta } from './helpers/cache-db.ts';
import { checkStoreConsistency } from './helpers/store-consistency.ts';

const CHUNK = 10;

function meta(hash: string, fields: Partial<StoredMeta> = {}): StoredMeta {
  return {
    hash,
    primary: `https://example.test/${hash}`,
    bodyId: `body-${hash}`,
    size: 25,
    chunkSize: CHUNK,
    complete: 1,
    writers: [],
    ...fields,
  };
}

/** The chunks of a whole body of `size` bytes. */
function chunksOf(bodyId: string, size: number): StoredChunk[] {
  return Array.from({ length: Math.ceil(size / CHUNK) }, (_, seq) => ({
    bodyId,
    seq,
    byteLength: Math.min(CHUNK, size - seq * CHUNK),
  }));
}

/** A sound store: one complete entry, one entry being rewritten, one write with no entry yet. */
function soundStore(): CacheDbSnapshot {
  const writer = { bodyId: 'w-a', heartbeatAt: 5 };
  return {
    metas: [
      meta('a', { writers: [writer] }),
      meta('b', { size: 0, bodyId: '', complete: 0, writers: [{ bodyId: 'w-b', heartbeatAt: 6 }] }),
      meta('e', { size: 0, bodyId: 'body-e' }),
    ],
    chunks: [
      ...chunksOf('body-a', 25),
      ...chunksOf('w-a', 20),
      ...chunksOf('w-b', 10),
      // The checker must not depend on the order the store lists chunks in.
    ].reverse(),
  };
}

const kinds = (snapshot: CacheDbSnapshot) =>
  checkStoreConsistency(snapshot).problems.map((p) => p.kind);

test('a sound store has no problem and lists its writes as pending collection', () => {
  const check = checkStoreConsistency(soundStore());
  expect(check.problems).toEqual([]);
  expect(check.pending).toEqual([
    { hash: 'a', bodyId: 'w-a', heartbeatAt: 5, chunks: 2, bytes: 20 },
    { hash: 'b', bodyId: 'w-b', heartbeatAt: 6, chunks: 1, bytes: 10 },
  ]);
});

test('a complete body with a missing chunk is dangling', () => {
  const store = soundStore();
  store.chunks = store.chunks.filter((c) => !(c.bodyId === 'body-a' && c.seq === 1));
  expect(kinds(store)).toEqual(['dangling']);
  expect(checkStoreConsistency(store).problems[0]?.message).toContain('misses chunk(s) 1');
});

test('a complete body whose chunk sizes do not add up to its size is dangling', () => {
  const store = soundStore();
  store.chunks = store.chunks.map((c) =>
    c.bodyId === 'body-a' && c.seq === 2 ? { ...c, byteLength: 4 } : c,
  );
  expect(kinds(store)).toEqual(['dangling']);
});

test('chunks nobody owns, and a pending record with no writer, are orphans', () => {
  const store = soundStore();
  store.chunks.push(...chunksOf('lost', 10));
  expect(kinds(store)).toEqual(['orphan']);

  const noWriter = soundStore();
  noWriter.metas = noWriter.metas.map((m) => (m.hash === 'b' ? { ...m, writers: [] } : m));
  // Its record and its chunks: both are orphans now.
  expect(kinds(noWriter)).toEqual(['orphan', 'orphan']);
});

test('a chunk past the end of a complete body or with an invalid seq is misplaced', () => {
  const past = soundStore();
  past.chunks.push({ bodyId: 'body-a', seq: 3, byteLength: CHUNK });
  expect(kinds(past)).toEqual(['misplaced']);

  const invalid = soundStore();
  invalid.chunks.push({ bodyId: 'w-a', seq: -1, byteLength: CHUNK });
  expect(kinds(invalid)).toEqual(['misplaced']);
});

test('a chunk stored twice, or a body claimed twice, is a duplicate', () => {
  const twice = soundStore();
  twice.chunks.push({ bodyId: 'body-a', seq: 0, byteLength: CHUNK });
  expect(kinds(twice)).toEqual(['duplicate']);

  const shared = soundStore();
  shared.metas.push(meta('c', { bodyId: 'body-a' }));
  expect(kinds(shared)).toEqual(['duplicate']);

  const republished = soundStore();
  republished.metas[0] = meta('a', { writers: [{ bodyId: 'body-a', heartbeatAt: 1 }] });
  republished.chunks = republished.chunks.filter((c) => c.bodyId !== 'w-a');
  expect(kinds(republished)).toEqual(['duplicate']);
});
