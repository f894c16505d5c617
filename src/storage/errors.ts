/**
 * Turns whatever IndexedDB throws (DOMException, TypeError, an aborted transaction) into the
 * contract's {@link StorageError}, keeping the original as `cause`.
 */
import { StorageError } from '../core/storage.ts';

/** Wraps `error` in a `StorageError` that says what was being done; a `StorageError` passes through. */
export function toStorageError(error: unknown, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const name = errorName(error);
  const detail =
    name === 'QuotaExceededError'
      ? 'storage quota exceeded'
      : error instanceof Error
        ? `${name}: ${error.message}`
        : String(error);
  return new StorageError(`${doing} failed (${detail})`, { cause: error });
}

/** Whether `error`, or any error in its `cause` chain, is a `QuotaExceededError`. */
export function isQuotaExceeded(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 8; depth++) {
    if (errorName(e) === 'QuotaExceededError') return true;
    e = typeof e === 'object' && e !== null && 'cause' in e ? e.cause : undefined;
  }
  return false;
}

/** The `name` of a thrown value that has one (`DOMException`s tell their kind by it). */
export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String(error.name)
    : undefined;
}
