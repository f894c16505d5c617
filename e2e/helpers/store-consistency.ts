/**
 * A consistency checker for a snapshot of the worker's IndexedDB (`readCacheDb`, schema in
 * src/storage/idb/idb-schema.ts). Pure: it walks `meta` and `body` and says what is wrong, so the
 * same function runs on a browser snapshot and on hand-made ones in a Node test.
 *
 * What must always hold, whatever moment the worker was stopped at (every write, flip, purge
 * and collection is one IndexedDB transaction):
 *
 * - `dangling`: a complete meta record's body is whole: chunks `0 … n-1`, each `chunkSize`
 *   bytes but the last, adding up to `size` (no chunk missing, none short, none extra).
 * - `orphan`: every chunk belongs to a complete meta record's body or to a recorded writer; and
 *   a record that is not complete lists at least one writer (else nothing would ever remove it).
 * - `misplaced`: a chunk's `seq` is a non-negative integer (and inside its body, see `dangling`).
 * - `duplicate`: no two chunks with the same `[bodyId, seq]`; no body id shared by two records
 *   (a purge of one would delete the other's body); a published body is no longer a writer.
 *
 * Writes in progress and writes a stopped worker left behind look the same in the store: a
 * writer record (body id + heartbeat) and its chunks. They are not problems but **pending
 * collection**, listed apart: `IdbStorage.collectOrphans` removes them once the heartbeat is
 * older than `staleWriterMs` (docs/storage.md). A test that ages the heartbeats
 * (`ageWriterHeartbeats`) and then starts a fresh worker expects that list to become empty.
 */
import type { CacheDbSnapshot } from './cache-db.ts';

export type StoreProblemKind = 'dangling' | 'orphan' | 'misplaced' | 'duplicate';

/** One inconsistency, with a sentence that says where. */
export interface StoreProblem {
  kind: StoreProblemKind;
  message: string;
}

/** A write in progress or left by a stopped worker: a writer record and the chunks it stored. */
export interface PendingWrite {
  /** The meta record (variant hash) that lists the writer. */
  hash: string;
  bodyId: string;
  heartbeatAt: number;
  chunks: number;
  bytes: number;
}

export interface StoreCheck {
  /** Empty when the store is consistent. */
  problems: StoreProblem[];
  /** Writer records with their chunks: allowed, until orphan collection has run on them. */
  pending: PendingWrite[];
}

type Chunk = CacheDbSnapshot['chunks'][number];

/** Walks the snapshot; see the module comment for what counts as a problem. */
export function checkStoreConsistency(snapshot: CacheDbSnapshot): StoreCheck {
  const problems: StoreProblem[] = [];
  const report = (kind: StoreProblemKind, message: string) => problems.push({ kind, message });

  const chunksByBody = new Map<string, Chunk[]>();
  const seen = new Set<string>();
  for (const chunk of snapshot.chunks) {
    const id = `${chunk.bodyId}#${chunk.seq}`;
    if (seen.has(id)) report('duplicate', `chunk ${id} is stored twice`);
    seen.add(id);
    if (!Number.isSafeInteger(chunk.seq) || chunk.seq < 0) {
      report('misplaced', `chunk ${id} has an invalid seq`);
    }
    const list = chunksByBody.get(chunk.bodyId) ?? [];
    list.push(chunk);
    chunksByBody.set(chunk.bodyId, list);
  }

  /** Body id → the record (hash) that owns it, as complete body or as writer. */
  const owners = new Map<string, string>();
  const own = (bodyId: string, hash: string, as: string) => {
    const previous = owners.get(bodyId);
    if (previous !== undefined) {
      report('duplicate', `body ${bodyId} is claimed by ${previous} and by ${hash} (${as})`);
    }
    owners.set(bodyId, hash);
  };

  const pending: PendingWrite[] = [];
  for (const meta of snapshot.metas) {
    if (meta.complete === 1) {
      own(meta.bodyId, meta.hash, 'complete body');
      problems.push(...bodyProblems(meta, chunksByBody.get(meta.bodyId) ?? []));
    } else if (meta.writers.length === 0) {
      report('orphan', `meta ${meta.hash} is not complete and lists no writer`);
    }
    for (const writer of meta.writers) {
      if (meta.complete === 1 && writer.bodyId === meta.bodyId) {
        report('duplicate', `meta ${meta.hash} still lists its published body as a writer`);
        continue;
      }
      own(writer.bodyId, meta.hash, 'writer');
      const chunks = chunksByBody.get(writer.bodyId) ?? [];
      pending.push({
        hash: meta.hash,
        bodyId: writer.bodyId,
        heartbeatAt: writer.heartbeatAt,
        chunks: chunks.length,
        bytes: chunks.reduce((sum, c) => sum + c.byteLength, 0),
      });
    }
  }

  for (const [bodyId, chunks] of chunksByBody) {
    if (!owners.has(bodyId)) {
      report('orphan', `${chunks.length} chunk(s) of body ${bodyId} belong to no meta record`);
    }
  }
  return { problems, pending };
}

/** What is wrong with the chunks of one complete body. */
function bodyProblems(
  meta: CacheDbSnapshot['metas'][number],
  chunks: readonly Chunk[],
): StoreProblem[] {
  const where = `complete meta ${meta.hash} (body ${meta.bodyId}, ${meta.size} bytes)`;
  if (!Number.isSafeInteger(meta.size) || meta.size < 0 || !(meta.chunkSize > 0)) {
    return [{ kind: 'dangling', message: `${where} has an invalid size or chunk size` }];
  }
  const expected = Math.ceil(meta.size / meta.chunkSize);
  const problems: StoreProblem[] = [];
  const seqs = new Set(chunks.map((c) => c.seq));
  const missing = [...Array(expected).keys()].filter((seq) => !seqs.has(seq));
  if (missing.length > 0) {
    problems.push({ kind: 'dangling', message: `${where} misses chunk(s) ${missing.join(', ')}` });
  }
  const outside = chunks.filter((c) => !(c.seq >= 0 && c.seq < expected));
  if (outside.length > 0) {
    const list = outside.map((c) => c.seq).join(', ');
    problems.push({ kind: 'misplaced', message: `${where} has chunk(s) ${list} past its end` });
  }
  for (const chunk of chunks) {
    if (!(chunk.seq >= 0 && chunk.seq < expected)) continue;
    const length = Math.min(meta.chunkSize, meta.size - chunk.seq * meta.chunkSize);
    if (chunk.byteLength !== length) {
      problems.push({
        kind: 'dangling',
        message: `${where}: chunk ${chunk.seq} holds ${chunk.byteLength} bytes, not ${length}`,
      });
    }
  }
  return problems;
}

/** The problems as lines, for an assertion message or a log. */
export function describeStoreCheck({ problems, pending }: StoreCheck): string {
  const lines = problems.map((p) => `${p.kind}: ${p.message}`);
  lines.push(`${pending.length} write(s) pending collection`);
  return lines.join('\n');
}
