/**
 * Sparse records read back from IndexedDB are checked like meta records (`idb-record-check.ts`):
 * one that is not the shape {@link SparseRecord} promises is absent, so it never claims bytes it
 * does not hold.
 */
import { validSpans } from '../../core/byte-spans.ts';
import { variantHash } from '../../core/key.ts';
import { isKey, isMeta } from './idb-record-check.ts';
import type { SparseRecord } from './idb-schema.ts';

/** `value` as a {@link SparseRecord} when well-formed and stored under its own key's hash. */
export function validSparseRecord(value: unknown, hash?: string): SparseRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { key, meta, representation, pieceSize, lastAccess } = record;
  if (typeof record['hash'] !== 'string' || (hash !== undefined && record['hash'] !== hash)) {
    return undefined;
  }
  if (!isKey(key) || variantHash(key) !== record['hash'] || !isMeta(meta)) return undefined;
  const length = isRepresentation(representation) ? representation.length : undefined;
  const ok =
    length !== undefined &&
    typeof record['primaryHash'] === 'string' &&
    typeof record['bodyId'] === 'string' &&
    validSpans(record['spans'], length) !== null &&
    Number.isSafeInteger(pieceSize) &&
    (pieceSize as number) > 0 &&
    typeof lastAccess === 'number' &&
    Number.isFinite(lastAccess);
  return ok ? (value as SparseRecord) : undefined;
}

function isRepresentation(value: unknown): value is SparseRecord['representation'] {
  if (typeof value !== 'object' || value === null) return false;
  const { length, validator } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(length) || (length as number) < 0) return false;
  if (typeof validator !== 'object' || validator === null) return false;
  const { etag, lastModified } = validator as Record<string, unknown>;
  return (
    (typeof etag === 'string' && lastModified === undefined) ||
    (etag === undefined && typeof lastModified === 'number' && Number.isFinite(lastModified))
  );
}
