/**
 * Orphan collection for {@link IdbStorage}: deletes the chunks no complete entry points to and no
 * live writer owns (what a worker stopped mid-write left behind), malformed meta records, and
 * writer entries whose heartbeat is older than `staleWriterMs`.
 *
 * It runs in many small transactions rather than one: IndexedDB queues every lookup behind a
 * readwrite transaction over `meta` and `body`, and one walk over 10,000 entries held the first
 * hits after a worker restart for seconds. The order makes the batches safe without a snapshot:
 *
 * 1. list the body ids that have chunks (readonly, keys only);
 * 2. read every meta record (readonly): bodies of complete entries and of live writers are
 *    referenced; malformed records and stale writer entries are noted;
 * 3. fix the noted records (each re-read and re-judged in its own readwrite transaction) and
 *    delete the chunks of the listed bodies that step 2 found unreferenced.
 *
 * A body listed in step 1 had chunks, so its writer's entry was in the meta store (chunks and the
 * entry are written in one transaction) until it finished (its body becomes the complete one, so
 * referenced in step 2), aborted or was purged (its chunks are deleted anyway). A write that
 * starts after step 1 has a fresh body id, so it is never listed.
 */
import type { IDBPObjectStore } from 'idb';
import type { IdbConnection } from './idb-connection.ts';
import { inTransaction } from './idb-connection.ts';
import { validMetaRecord } from './idb-record-check.ts';
import { mapMetaBatches } from './meta-batches.ts';
import type { CacheDbSchema, MetaRecord, WriterRecord } from './idb-schema.ts';
import { chunkRange } from './idb-schema.ts';

export interface OrphanCollectionContext {
  readonly connection: Pick<IdbConnection, 'run'>;
  /** Body ids written in this context right now: never collected. */
  readonly liveWriters: ReadonlySet<string>;
  readonly staleWriterMs: number;
  readonly now: () => number;
  /** Records or keys read per transaction (default 500). */
  readonly batchSize?: number;
}

/** Runs one collection; resolves with the number of chunks deleted. */
export async function collectOrphans(context: OrphanCollectionContext): Promise<number> {
  const batchSize = context.batchSize ?? 500;
  const bodies = await listBodyIds(context.connection, batchSize);
  const { referenced, toFix } = await readMetas(context, batchSize);
  for (const hash of toFix) await fixRecord(context, hash);
  const orphans = [...bodies].filter((id) => !referenced.has(id) && !context.liveWriters.has(id));
  let removed = 0;
  for (let i = 0; i < orphans.length; i += batchSize) {
    removed += await deleteBodies(context.connection, orphans.slice(i, i + batchSize));
  }
  return removed;
}

/** Step 1: the distinct body ids of the `body` store, `batchSize` keys per transaction. */
async function listBodyIds(
  connection: OrphanCollectionContext['connection'],
  batchSize: number,
): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: [string, number] | undefined;
  for (;;) {
    const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
    const keys = await connection.run('listing stored bodies', (db) =>
      db.getAllKeys('body', range, batchSize),
    );
    for (const [bodyId] of keys) ids.add(bodyId);
    if (keys.length < batchSize) return ids;
    // Skip the rest of the last body's chunks: its id is listed already.
    const last = keys.at(-1)!;
    after = [last[0], Number.POSITIVE_INFINITY];
  }
}

/** What step 2 learns from one record. */
type Finding = { readonly referenced: string } | { readonly fix: string };

/** Step 2: referenced body ids, and the records that need fixing. */
async function readMetas(
  context: OrphanCollectionContext,
  batchSize: number,
): Promise<{ referenced: Set<string>; toFix: string[] }> {
  const findings = await mapMetaBatches(context.connection, 'reading entries', batchSize, (batch) =>
    Promise.resolve(batch.flatMap(({ hash, record }) => judgeRecord(context, hash, record))),
  );
  const referenced = new Set<string>();
  const toFix: string[] = [];
  for (const finding of findings) {
    if ('fix' in finding) toFix.push(finding.fix);
    else referenced.add(finding.referenced);
  }
  return { referenced, toFix };
}

/** A record's referenced bodies, and whether it must be fixed (malformed, or dead writers). */
function judgeRecord(
  context: OrphanCollectionContext,
  hash: string,
  record: MetaRecord | undefined,
): Finding[] {
  if (record === undefined) return [{ fix: hash }];
  const alive = liveWritersOf(context, record);
  return [
    ...(record.complete === 1 ? [{ referenced: record.bodyId }] : []),
    ...alive.map((w) => ({ referenced: w.bodyId })),
    ...(alive.length !== record.writers.length ? [{ fix: hash }] : []),
  ];
}

function liveWritersOf(context: OrphanCollectionContext, record: MetaRecord): WriterRecord[] {
  const now = context.now();
  return record.writers.filter(
    (w) => context.liveWriters.has(w.bodyId) || now - w.heartbeatAt < context.staleWriterMs,
  );
}

/**
 * Step 3a: re-reads the record and, if it is still malformed or still lists dead writers, deletes
 * it (malformed, or incomplete with no live writer) or drops those writers. The dead writers'
 * chunks go with the orphans.
 */
function fixRecord(context: OrphanCollectionContext, hash: string): Promise<void> {
  return context.connection.run('fixing an entry', async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    await inTransaction(tx, async () => {
      const record = validMetaRecord(await tx.store.get(hash), hash);
      if (record === undefined) return tx.store.delete(hash);
      const alive = liveWritersOf(context, record);
      if (alive.length === record.writers.length) return;
      if (record.complete === 0 && alive.length === 0) return tx.store.delete(hash);
      await tx.store.put({ ...record, writers: alive });
    });
  });
}

/** Step 3b: deletes every chunk of `bodyIds` in one transaction; returns how many. */
function deleteBodies(
  connection: OrphanCollectionContext['connection'],
  bodyIds: readonly string[],
): Promise<number> {
  return connection.run('collecting orphaned chunks', async (db) => {
    const tx = db.transaction('body', 'readwrite');
    return inTransaction(tx, async () => {
      let removed = 0;
      for (const bodyId of bodyIds) removed += await deleteBody(tx.store, bodyId);
      return removed;
    });
  });
}

async function deleteBody(
  store: IDBPObjectStore<CacheDbSchema, ['body'], 'body', 'readwrite'>,
  bodyId: string,
): Promise<number> {
  const count = await store.count(chunkRange(bodyId));
  await store.delete(chunkRange(bodyId));
  return count;
}
