/**
 * The IndexedDB schema of {@link IdbStorage}: record types and the migrations that build it.
 *
 * - `meta`, keyed by the variant hash: one record per stored variant, with the full key (compared
 *   on lookup, so a hash collision never serves the wrong entry), the `CacheMeta`, which body is
 *   the complete one, and which writes are in progress (so orphan collection spares live writers).
 * - `body`, keyed `[bodyId, seq]`: the body in fixed-size chunks; chunk `seq` starts at byte
 *   `seq * chunkSize`. A fresh `bodyId` per write keeps a new body invisible until its meta flips.
 * - (v2) `sparse`, keyed by the variant hash: a partial entry, the pieces of one representation
 *   held from 206 responses (`docs/partial-content.md`); `pieces`, keyed `[bodyId, offset]`:
 *   their bytes.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ByteSpans } from '../../core/byte-spans.ts';
import type { Representation } from '../../core/http/partial.ts';
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';

/** Default database name. */
export const DEFAULT_DB_NAME = 'sw-http-cache';

/** A write in progress, as recorded for orphan collection. */
export interface WriterRecord {
  readonly bodyId: string;
  /** Last time the writer stored chunks (the runtime clock, ms). */
  readonly heartbeatAt: number;
  /**
   * What a reader in another context needs to follow the write (see `idb-remote-follow-hit.ts`);
   * absent for writers that other contexts cannot follow (no writer lock configured).
   */
  readonly follow?: FollowableWrite;
}

/** A write in progress as readers of other contexts see it. */
export interface FollowableWrite {
  /** The meta the writer will publish. */
  readonly meta: CacheMeta;
  readonly chunkSize: number;
  /** Chunks `0 … chunks - 1` are stored. */
  readonly chunks: number;
  /** When the write started (the runtime clock, ms): the newest write in progress is followed. */
  readonly startedAt: number;
}

export interface MetaRecord {
  /** `variantHash(key)`: the key path. */
  readonly hash: string;
  /** `primaryHash(key)`: indexed, to purge every variant of a URL. */
  readonly primaryHash: string;
  readonly key: CacheKey;
  readonly meta: CacheMeta;
  /** The complete body (meaningless while `complete` is 0). */
  readonly bodyId: string;
  readonly size: number;
  /** Chunk size the body was stored with (the constant may change between versions). */
  readonly chunkSize: number;
  /** 1 when `bodyId` is a complete body visible to lookups; a number because booleans are not keys. */
  readonly complete: 0 | 1;
  readonly writers: readonly WriterRecord[];
  /** Last access (ms), flushed in batches by the access write-back. */
  readonly lastAccess: number;
  /**
   * The body id the write that stored this body had, when the body was
   * since rewritten as one Blob under a new id (`compaction.ts`); absent otherwise, and in
   * records written before compaction.
   */
  readonly writtenAs?: string;
}

export interface ChunkRecord {
  readonly bodyId: string;
  readonly seq: number;
  /**
   * The chunk's bytes: a `Blob` (kept out of line by IndexedDB, handed to responses without
   * reading it), or the bytes inline for a small one-chunk body and in databases written before
   * Blobs (see `chunk-data.ts`). One body uses one form.
   */
  readonly data: Uint8Array | Blob;
}

/** A sparse (partial) entry: which bytes of which representation are held (schema v2). */
export interface SparseRecord {
  /** `variantHash(key)`: the key path. */
  readonly hash: string;
  readonly primaryHash: string;
  readonly key: CacheKey;
  /** The meta of the whole response (status 200, `Content-Length` the full length). */
  readonly meta: CacheMeta;
  readonly representation: Representation;
  /** The pieces' key prefix; a new representation gets a new one (its pieces replace these). */
  readonly bodyId: string;
  /** The bytes held: every byte of every span is in exactly one piece. */
  readonly spans: ByteSpans;
  /** The largest piece: a read of byte `n` looks at offsets `n - pieceSize + 1 … n`. */
  readonly pieceSize: number;
  /** Last time pieces were added (ms): the entry's recency for eviction. */
  readonly lastAccess: number;
}

/** Bytes `[offset, offset + data.byteLength)` of a sparse entry; pieces never overlap. */
export interface PieceRecord {
  readonly bodyId: string;
  readonly offset: number;
  readonly data: Uint8Array;
}

export interface CacheDbSchema extends DBSchema {
  meta: { key: string; value: MetaRecord; indexes: { byPrimary: string; byComplete: number } };
  body: { key: [string, number]; value: ChunkRecord };
  sparse: { key: string; value: SparseRecord; indexes: { byPrimary: string } };
  pieces: { key: [string, number]; value: PieceRecord };
}

export type CacheDb = IDBPDatabase<CacheDbSchema>;

type UpgradeTransaction = IDBPTransaction<
  CacheDbSchema,
  StoreNames<CacheDbSchema>[],
  'versionchange'
>;

/** One schema step; migration `i` takes the database from version `i` to `i + 1`. */
export type Migration = (db: CacheDb, tx: UpgradeTransaction) => void;

export const MIGRATIONS: readonly Migration[] = [
  // v1: meta and chunked bodies.
  (db) => {
    const meta = db.createObjectStore('meta', { keyPath: 'hash' });
    meta.createIndex('byPrimary', 'primaryHash');
    meta.createIndex('byComplete', 'complete');
    db.createObjectStore('body', { keyPath: ['bodyId', 'seq'] });
  },
  // v2: partial content. v1 stores and records are untouched, so they are served as before.
  (db) => {
    const sparse = db.createObjectStore('sparse', { keyPath: 'hash' });
    sparse.createIndex('byPrimary', 'primaryHash');
    db.createObjectStore('pieces', { keyPath: ['bodyId', 'offset'] });
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The `upgrade` callback of `openDB`: runs the migrations the database has not seen yet. */
export function runMigrations(
  db: CacheDb,
  oldVersion: number,
  _new: unknown,
  tx: UpgradeTransaction,
): void {
  for (const migrate of MIGRATIONS.slice(oldVersion)) migrate(db, tx);
}

/**
 * The key range of chunks `[fromSeq, toSeq]` of one body; with the defaults, of every piece of
 * one sparse entry too (its pieces are keyed `[bodyId, offset]`).
 */
export function chunkRange(
  bodyId: string,
  fromSeq = 0,
  toSeq = Number.POSITIVE_INFINITY,
): IDBKeyRange {
  return IDBKeyRange.bound([bodyId, fromSeq], [bodyId, toSeq]);
}
