/**
 * What comes out of IndexedDB is not trusted: any context of the origin can write the `meta`
 * store (another version of this library, a page's own code, a disk that returned garbage). A
 * record that is not the shape {@link MetaRecord} promises is treated as absent: never served,
 * never listed, replaced by the next write of its key and deleted by orphan collection.
 */
import { variantHash } from '../../core/key.ts';
import type { CacheKey } from '../../core/key.ts';
import type { CacheMeta } from '../../core/meta.ts';
import type { MetaRecord } from './idb-schema.ts';

/**
 * `value` as a {@link MetaRecord} when it is well-formed and stored under the variant hash of
 * its own key (`hash`, when given, must be that too); otherwise `undefined`.
 */
export function validMetaRecord(value: unknown, hash?: string): MetaRecord | undefined {
  if (!isObject(value)) return undefined;
  const { key, meta, size, chunkSize, complete, writers, lastAccess } = value;
  if (typeof value['hash'] !== 'string' || (hash !== undefined && value['hash'] !== hash)) {
    return undefined;
  }
  const ok =
    typeof value['primaryHash'] === 'string' &&
    isKey(key) &&
    variantHash(key) === value['hash'] &&
    isMeta(meta) &&
    typeof value['bodyId'] === 'string' &&
    isCount(size) &&
    isCount(chunkSize) &&
    chunkSize > 0 &&
    (complete === 0 || complete === 1) &&
    Array.isArray(writers) &&
    writers.every(isWriter) &&
    isFiniteNumber(lastAccess) &&
    (value['writtenAs'] === undefined || typeof value['writtenAs'] === 'string');
  return ok ? (value as unknown as MetaRecord) : undefined;
}

/** How many chunks a complete body of `record` has (`size` split in `chunkSize` pieces). */
export function expectedChunks(record: Pick<MetaRecord, 'size' | 'chunkSize'>): number {
  return Math.ceil(record.size / record.chunkSize);
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function isKey(value: unknown): value is CacheKey {
  return (
    isObject(value) &&
    typeof value['namespace'] === 'string' &&
    typeof value['primary'] === 'string' &&
    (value['variance'] === undefined || typeof value['variance'] === 'string')
  );
}

const META_TIMES = [
  'created',
  'updated',
  'requestTime',
  'responseTime',
  'initialAge',
  'freshUntil',
  'staleWhileRevalidateUntil',
  'staleIfErrorUntil',
] as const;

export function isMeta(value: unknown): value is CacheMeta {
  if (!isObject(value)) return false;
  const { status, statusText, headers, validators } = value;
  return (
    Number.isInteger(status) &&
    (status as number) >= 200 &&
    (status as number) <= 599 &&
    typeof statusText === 'string' &&
    Array.isArray(headers) &&
    headers.every(
      (row) =>
        Array.isArray(row) &&
        row.length === 2 &&
        typeof row[0] === 'string' &&
        typeof row[1] === 'string',
    ) &&
    META_TIMES.every((name) => isFiniteNumber(value[name])) &&
    isStringList(value['vary']) &&
    (value['variance'] === undefined || typeof value['variance'] === 'string') &&
    isObject(validators) &&
    (validators['etag'] === undefined || typeof validators['etag'] === 'string') &&
    (validators['lastModified'] === undefined || typeof validators['lastModified'] === 'string') &&
    isStringList(value['tags']) &&
    typeof value['mustRevalidate'] === 'boolean'
  );
}

function isWriter(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value['bodyId'] === 'string' &&
    isFiniteNumber(value['heartbeatAt']) &&
    (value['follow'] === undefined || isFollowableWrite(value['follow']))
  );
}

function isFollowableWrite(value: unknown): boolean {
  return (
    isObject(value) &&
    isMeta(value['meta']) &&
    isCount(value['chunkSize']) &&
    value['chunkSize'] > 0 &&
    isCount(value['chunks']) &&
    isFiniteNumber(value['startedAt'])
  );
}
