/**
 * The storage contract the cache state machine drives (pingora `Storage`, `HandleHit`,
 * `HandleMiss`). It lives in `core` because `HttpCache` calls it and `core` imports nothing from
 * the folders above it; the implementations (memory, IndexedDB, composition) live in
 * `src/storage/`.
 */
import type { ByteSpans } from './byte-spans.ts';
import type { Representation } from './http/partial.ts';
import type { CacheKey } from './key.ts';
import type { CacheMeta } from './meta.ts';

export type PurgeType = 'eviction' | 'invalidation';

export interface LookupResult {
  readonly meta: CacheMeta;
  readonly hit: HitHandler;
}

/** A complete stored entry of a URL, as {@link Storage.listVariants} lists it. */
export interface StoredVariant {
  /** The entry's own key: the primary slot (no variance) or a variant's. */
  readonly key: CacheKey;
  readonly meta: CacheMeta;
}

export interface Storage {
  /** Names the backend in `Cache-Status` and stats, e.g. `memory`, `idb`, `composition.idb`. */
  readonly label: string;
  /**
   * The complete entry for a key, or `null`. With streaming partial writes, an entry that is
   * still being written is also returned: its hit handler follows the chunks as they land.
   */
  lookup(key: CacheKey): Promise<LookupResult | null>;
  /** Starts writing a new body for `key`; nothing is visible to `lookup` until `finish`. */
  getMissHandler(key: CacheKey, meta: CacheMeta): Promise<MissHandler>;
  /** Removes every trace of `key`; `true` when something was removed. */
  purge(key: CacheKey, type: PurgeType): Promise<boolean>;
  /** Replaces the meta of a stored entry without touching its body (after a 304). */
  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean>;
  /** Whether readers can follow a body while it is being written. */
  readonly supportsStreamingPartialWrite: boolean;

  // Optional capabilities: a storage has them or not, and a wrapper (`ForwardingStorage` in
  // `src/storage/wrappers/`) forwards each one, so a layer keeps them behind any wrapper.

  /**
   * A write that lookups do not follow until it finishes (`MemoryStorage`): the composition
   * refills L1 with it, so readers never see an L1 copy of an L2 entry half written. Without it
   * the composition refills through `getMissHandler`.
   */
  getRefillHandler?(key: CacheKey, meta: CacheMeta): Promise<MissHandler>;
  /**
   * This context's write of `key` in progress, followed from byte `start`, or `null` when there
   * is none (`IdbStorage`): a reader in the same worker follows it instead of downloading again.
   */
  lookupWriteInProgress?(key: CacheKey, start?: number): LookupResult | null;
  /** Records an access to `key` for eviction recency (`IdbStorage`). */
  touch?(key: CacheKey): void;
  /**
   * The complete entries of `key`'s URL (its namespace and primary key; the variance is
   * ignored): the primary slot and every variant, without writes in progress, in no particular
   * order, without reading a body. Without it a caller sees the primary slot only
   * (`listStoredVariants` in `stored-variants.ts`).
   */
  listVariants?(key: CacheKey): Promise<readonly StoredVariant[]>;
  /**
   * The sparse (partial) entry of `key`: pieces of one representation, from 206 responses
   * (`IdbStorage`; see `docs/partial-content.md`). `null` when there is none. `readFrom` names
   * the byte the caller will read first: the storage may read it with the entry (`IdbStorage`
   * does, in the lookup's one transaction).
   */
  lookupSparse?(key: CacheKey, readFrom?: SparseReadFrom): Promise<SparseLookup | null>;
  /**
   * Starts storing the body of a 206 as pieces of `key`'s sparse entry, from byte `piece.offset`
   * (`IdbStorage`). What it does to the pieces stored before is `pieceAction`'s decision.
   */
  getPieceWriter?(key: CacheKey, piece: PieceStart): Promise<PieceWriter>;
}

/** The optional members of {@link Storage}: what a wrapper must forward. */
export type StorageCapabilities = Required<
  Pick<
    Storage,
    | 'getRefillHandler'
    | 'lookupWriteInProgress'
    | 'touch'
    | 'listVariants'
    | 'lookupSparse'
    | 'getPieceWriter'
  >
>;

/**
 * The byte a reader of a sparse entry will read first, given the representation's length (the
 * range asked for may depend on it, e.g. `bytes=-500`); `undefined` when it reads none.
 */
export type SparseReadFrom = (length: number) => number | undefined;

/** A sparse entry as found: what it holds, and a reader of the bytes it holds. */
export interface SparseLookup {
  /** The meta of the whole response (status 200, `Content-Length` the full length). */
  readonly meta: CacheMeta;
  readonly representation: Representation;
  /** The bytes held, when looked up. */
  readonly spans: ByteSpans;
  /**
   * Reads held bytes: `size` is the full length and `seek` selects a range; a read that reaches
   * a byte not held rejects with `StorageError` (never a short body that looks whole).
   */
  readonly hit: HitHandler;
}

/** Where a 206's body goes: the meta of the whole response, its representation, its offset. */
export interface PieceStart {
  readonly meta: CacheMeta;
  readonly representation: Representation;
  readonly offset: number;
}

/** What storing pieces left: still partial, now a complete entry, or dropped (bad bytes). */
export type SparseOutcome = 'partial' | 'complete' | 'dropped';

/**
 * Stores a 206's body as it arrives. Bytes land in pieces as they come: a body that breaks off
 * keeps the whole pieces stored before, and only bytes not held yet are stored.
 */
export interface PieceWriter {
  /** Appends the next bytes of the body. Rejects with a `StorageError` on storage failure. */
  write(chunk: Uint8Array): Promise<void>;
  /** Stores what is left; an entry that now holds every byte becomes a complete entry. */
  finish(): Promise<SparseOutcome>;
  /** Stops: pieces already stored stay; bytes not stored yet are dropped. */
  abort(): Promise<void>;
}

export interface HitHandler {
  /** The next chunk of the body, or `null` at its end. Rejects if the body cannot be completed. */
  readBody(): Promise<Uint8Array | null>;
  /** Releases what the reader holds. Safe to call more than once. */
  finish(): Promise<void>;
  /** Whether `seek` is supported (a complete body of known size). */
  readonly canSeek: boolean;
  /** Restricts the following reads to bytes `[start, end)`; `end` defaults to the body's end. */
  seek(start: number, end?: number): void;
  /**
   * Optional: the bytes still to read (what `seek` selected) as one `Blob`, when the storage keeps
   * the body as Blobs: a response can then hand it over without the bytes passing through JS.
   * `null` when the body is not kept that way (read it with `readBody`); the position is left as
   * it was either way. Rejects like `readBody` when the body cannot be completed. The caller still
   * calls `finish`.
   */
  blob?(): Promise<Blob | null>;
  /** Body size in bytes when known (a finished write). */
  readonly size: number | undefined;
  /** The storage label that served this hit, for `Cache-Status` (e.g. `composition.memory`). */
  readonly source: string;
}

export interface MissHandler {
  /** Appends a chunk of the body. Rejects with a `StorageError` on storage failure. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the entry visible, complete, and returns the body size in bytes. */
  finish(): Promise<number>;
  /** Drops the partial write; readers that follow it fail instead of seeing a short body. */
  abort(reason?: unknown): Promise<void>;
}

/** Storage failed (quota, a closed database, a broken transaction). The cause is kept. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Reads a whole hit body into one buffer (tests and small bodies). */
export async function readAll(hit: HitHandler): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let chunk = await hit.readBody(); chunk !== null; chunk = await hit.readBody()) {
    parts.push(chunk);
    total += chunk.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
