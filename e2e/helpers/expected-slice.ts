import { createHash } from 'node:crypto';
import { deterministicSlice } from '../server/origin.mjs';

/**
 * Hex SHA-256 of bytes `[start, end)` of the deterministic body the test origin sends for
 * `pathAndQuery`, to compare with a range response read by `pageFetch(…, { as: 'sha256' })`.
 */
export function expectedSliceSha256(pathAndQuery: string, start: number, end: number): string {
  return createHash('sha256')
    .update(deterministicSlice(pathAndQuery, start, end))
    .digest('hex');
}
