/**
 * Reads the RFC 9211 `Cache-Status` header through the worker's own codec
 * (`src/sw/cache-status.ts`), so tests assert on fields (`hit`, `fwd`, `stored`, `ttl`) instead
 * of on whole header strings. A malformed header throws a `CacheStatusError`.
 */
import { parseCacheStatusList, type CacheStatusMember } from '../../src/sw/cache-status.ts';

export { parseCacheStatusList };

/**
 * The first member of a `Cache-Status` value — the one the worker writes. Throws when the header
 * is missing or empty, which in these tests means the worker did not handle the response.
 */
export function parseCacheStatus(value: string | null | undefined): CacheStatusMember {
  const [first] = parseCacheStatusList(value ?? null);
  if (first === undefined) throw new Error(`no Cache-Status member in ${JSON.stringify(value)}`);
  return first;
}
