import { createHash } from 'node:crypto';
import { deterministicBody } from '../server/origin.mjs';

/**
 * Hex SHA-256 of the body the test origin sends for `pathAndQuery` (`/api/resource?size=N` and
 * `/api/slow`, whose bodies are `deterministicBody(path + query, size)`), to compare with
 * `pageFetch(…, { as: 'sha256' })`.
 */
export function expectedSha256(pathAndQuery: string, size: number): string {
  return createHash('sha256').update(deterministicBody(pathAndQuery, size)).digest('hex');
}
