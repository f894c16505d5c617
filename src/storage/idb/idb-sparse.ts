/**
 * The sparse (partial) entries of {@link IdbStorage} (`docs/partial-content.md`): a record per
 * key in the `sparse` store (the meta of the whole response, the representation, the bytes
 * held) and the bytes in the `pieces` store. Partial content lives in IndexedDB only: the memory
 * layer keeps complete entries. Reading and writing pieces is the `partialContent()` feature's:
 * `IdbStorage` gets it as its `partialContent` option ({@link sparseEntries}), so a worker
 * without the feature does not ship it, nor lists sparse entries for eviction. Purge, clear and
 * orphan collection delete pieces without it (`sparse-upkeep.ts`): a worker without the feature
 * may share a database written by one with it.
 */
import { coversSpan, heldBytes } from '../../core/byte-spans.ts';
import { pieceAction } from '../../core/http/partial.ts';
import type { CacheKey } from '../../core/key.ts';
import { keysEqual, primaryHash, variantHash } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { PieceStart, PieceWriter, SparseLookup, SparseReadFrom } from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { inTransaction, readInTransaction } from './idb-connection.ts';
import { IdbPieceWriter, type PieceWriterContext } from './idb-piece-writer.ts';
import type { SparseRecord } from './idb-schema.ts';
import { deleteSparseRecord } from './idb-sparse-delete.ts';
import { IdbSparseHitHandler, pieceAt } from './idb-sparse-hit.ts';
import { validSparseRecord } from './sparse-record-check.ts';

export interface SparseEntriesContext extends PieceWriterContext {
  /** The largest piece stored: at most the storage's chunk size, small enough to be kept inline. */
  readonly pieceSize: number;
}

/** A sparse entry as listed for the eviction manager: its size is the bytes held. */
export interface SparseEntryInfo {
  readonly key: CacheKey;
  readonly meta: CacheMeta;
  readonly size: number;
  readonly lastAccess: number;
  /** The full length of the representation. */
  readonly length: number;
}

export class IdbSparseEntries {
  readonly #context: SparseEntriesContext;
  /**
   * The keys (variant hashes) that may have a sparse entry, read once from the `sparse` store:
   * every miss of the worker asks for a sparse entry, and almost none has one, so a lookup of a
   * key not in this set costs no transaction. Keys are added when this context starts pieces;
   * one another context adds is found once its 206 comes here (a piece is then added to it). A
   * key whose lookup finds no record (the entry completed, or was purged) is forgotten: the
   * ranges of a video that became a complete entry look up no sparse entry.
   */
  #known: Promise<Set<string>> | undefined;
  /**
   * Writers registering per key in this context: a lookup that finds no record while one is
   * does not forget the key (the writer adds it before its record is written).
   */
  readonly #registering = new Map<string, number>();

  constructor(context: SparseEntriesContext) {
    this.#context = context;
  }

  /**
   * The sparse entry of `key`, in one read-only transaction with the piece that holds byte
   * `readFrom` names (when held): a range served from the pieces then starts without a second
   * transaction, as a complete entry's hit does (`idb-entry-read.ts`).
   */
  async lookup(key: CacheKey, readFrom?: SparseReadFrom): Promise<SparseLookup | null> {
    const hash = variantHash(key);
    const known = await this.#knownHashes();
    if (!known.has(hash)) return null;
    const { connection, label } = this.#context;
    const found = await connection.run('looking up a sparse entry', async (db) => {
      const tx = db.transaction(['sparse', 'pieces'], 'readonly');
      return readInTransaction(tx, async () => {
        const value = await tx.objectStore('sparse').get(hash);
        // Gone (completed, purged): forgotten, so the complete entry's ranges cost no lookup.
        if (value === undefined && !this.#registering.has(hash)) known.delete(hash);
        const record = validSparseRecord(value, hash);
        if (record === undefined || !keysEqual(record.key, key)) return null;
        const at = readFrom?.(record.representation.length);
        const held = at !== undefined && coversSpan(record.spans, { start: at, end: at + 1 });
        const first = held
          ? await pieceAt(tx.objectStore('pieces'), record.bodyId, record.pieceSize, at)
          : undefined;
        return { record, first };
      });
    });
    if (found === null) return null;
    const { record, first } = found;
    const { meta, representation, spans } = record;
    const hit = new IdbSparseHitHandler(connection, record, label, first);
    return { meta, representation, spans, hit };
  }

  /**
   * Registers a writer of pieces of `key`, in one transaction: a new entry, or the stored one
   * (`add`: the new response's meta replaces the stored one, RFC 9111 §3.4), or a new entry in
   * place of one of another representation (`replace`: its pieces are deleted).
   */
  async startPieces(key: CacheKey, start: PieceStart): Promise<PieceWriter> {
    const { length } = start.representation;
    if (!Number.isSafeInteger(start.offset) || start.offset < 0 || start.offset >= length) {
      throw new StorageError(`a piece at ${start.offset} is outside ${length} bytes`);
    }
    const hash = variantHash(key);
    this.#registering.set(hash, (this.#registering.get(hash) ?? 0) + 1);
    const record = await this.#register(key, hash, start).finally(() => {
      const left = (this.#registering.get(hash) ?? 1) - 1;
      if (left > 0) this.#registering.set(hash, left);
      else this.#registering.delete(hash);
    });
    return new IdbPieceWriter(this.#context, key, record, start.offset);
  }

  async #register(key: CacheKey, hash: string, start: PieceStart): Promise<SparseRecord> {
    (await this.#knownHashes()).add(hash);
    return this.#context.connection.run('starting pieces', async (db) => {
      const tx = db.transaction(['sparse', 'pieces'], 'readwrite');
      return inTransaction(tx, async () => {
        const sparse = tx.objectStore('sparse');
        const found = validSparseRecord(await sparse.get(hash), hash);
        const stored = found !== undefined && keysEqual(found.key, key) ? found : undefined;
        const action = pieceAction(stored?.representation, start.representation);
        if (found !== undefined && action !== 'add') {
          await deleteSparseRecord(sparse, tx.objectStore('pieces'), found);
        }
        const next: SparseRecord =
          stored !== undefined && action === 'add'
            ? { ...stored, meta: start.meta }
            : this.#newRecord(key, start);
        await sparse.put(next);
        return next;
      });
    });
  }

  /** Replaces the meta of `key`'s sparse entry (after a 304); `false` when there is none. */
  updateMeta(key: CacheKey, meta: CacheMeta): Promise<boolean> {
    const hash = variantHash(key);
    return this.#context.connection.run('updating a sparse entry', async (db) => {
      const tx = db.transaction('sparse', 'readwrite');
      return inTransaction(tx, async () => {
        const record = validSparseRecord(await tx.store.get(hash), hash);
        if (record === undefined || !keysEqual(record.key, key)) return false;
        await tx.store.put({ ...record, meta });
        return true;
      });
    });
  }

  /** Every well-formed sparse entry with the bytes it holds (for the eviction manager). */
  async list(): Promise<SparseEntryInfo[]> {
    const values = await this.#context.connection.run('listing sparse entries', (db) =>
      db.getAll('sparse'),
    );
    return values.flatMap((value) => {
      const record = validSparseRecord(value);
      if (record === undefined) return [];
      const { key, meta, spans, lastAccess, representation } = record;
      return [{ key, meta, size: heldBytes(spans), lastAccess, length: representation.length }];
    });
  }

  #knownHashes(): Promise<Set<string>> {
    this.#known ??= this.#context.connection
      .run('listing sparse entries', (db) => db.getAllKeys('sparse'))
      .then((keys) => new Set(keys));
    // A failed read is tried again by the next lookup.
    this.#known.catch(() => (this.#known = undefined));
    return this.#known;
  }

  #newRecord(key: CacheKey, start: PieceStart): SparseRecord {
    return {
      hash: variantHash(key),
      primaryHash: primaryHash(key),
      key,
      meta: start.meta,
      representation: start.representation,
      bodyId: crypto.randomUUID(),
      spans: [],
      pieceSize: this.#context.pieceSize,
      lastAccess: this.#context.now(),
    };
  }
}

/** How `IdbStorage` makes its sparse entries (its `partialContent` option). */
export type SparseEntriesFactory = (context: SparseEntriesContext) => IdbSparseEntries;

/** The `partialContent` option of `IdbStorage`: reading and writing pieces. */
export const sparseEntries: SparseEntriesFactory = (context) => new IdbSparseEntries(context);
