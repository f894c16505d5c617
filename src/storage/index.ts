/** Storage implementations of the `Storage` contract in `src/core/storage.ts`. */
export { MemoryStorage } from './memory/memory.ts';
export type { MemoryStorageOptions } from './memory/memory.ts';
export { IdbStorage } from './idb/idb.ts';
export type { IdbStorageOptions, StoredEntryInfo } from './idb/idb.ts';
export { CompositionStorage } from './composition/composition.ts';
export { RacingCompositionStorage } from './composition/racing-composition.ts';
export type { CompositionOptions, RefillPolicy, WritePolicy } from './composition/composition.ts';
export type { LayerName } from './composition/fanout-miss.ts';
export { DEFAULT_CHUNK_SIZE } from './idb/chunker.ts';
export { DEFAULT_DB_NAME, SCHEMA_VERSION } from './idb/idb-schema.ts';
export { isQuotaExceeded } from './errors.ts';
export { crossContextWrites } from './idb/cross-context-writes.ts';
export { sparseEntries } from './idb/idb-sparse.ts';
export { parseWriteMessage, writesChannelName } from './idb/write-notifier.ts';
export type { WriteMessage } from './idb/write-notifier.ts';
