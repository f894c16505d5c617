/** Storage implementations of the `Storage` contract in `src/core/storage.ts`. */
export { MemoryStorage } from './memory.ts';
export type { MemoryStorageOptions } from './memory.ts';
export { IdbStorage } from './idb.ts';
export type { IdbStorageOptions, StoredEntryInfo } from './idb.ts';
export { CompositionStorage } from './composition.ts';
export type { CompositionOptions, ReadPolicy, RefillPolicy, WritePolicy } from './composition.ts';
export type { LayerName } from './fanout-miss.ts';
export { DEFAULT_CHUNK_SIZE } from './chunker.ts';
export { DEFAULT_DB_NAME, SCHEMA_VERSION } from './idb-schema.ts';
export { isQuotaExceeded } from './errors.ts';
export { crossContextWrites } from './cross-context-writes.ts';
export { parseWriteMessage, writesChannelName } from './write-notifier.ts';
export type { WriteMessage, WritesChannelLike } from './write-notifier.ts';
export type { WriterLocksLike } from './writer-liveness.ts';
