/**
 * Which response header fields a cache keeps (RFC 9111 §3.1) and may update from a newer
 * response (§3.2).
 */

import type { HeaderList } from '../meta.ts';
import { getCombinedHeader } from '../meta.ts';
import { parseCacheControl } from './cache-control.ts';
import { formatHttpDate } from './dates.ts';

/**
 * Fields that describe one connection or one proxy hop, never the response (§3.1; RFC 9110
 * §7.6.1 and §11.7): they are not stored.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authentication-info',
  'proxy-authorization',
]);

/** Names listed in `Connection`, which are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionOptions(headers: HeaderList): Set<string> {
  const value = getCombinedHeader(headers, 'connection') ?? '';
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()));
}

/**
 * `headers` without hop-by-hop fields: `Connection`, the fields it names, `Keep-Alive`,
 * `Proxy-Connection`, `TE`, `Transfer-Encoding`, `Upgrade` and the proxy authentication fields
 * (§3.1). Used when storing and again when replaying a stored response, so an entry written
 * before a field joined the list is not replayed with it either.
 */
export function withoutHopByHop(headers: HeaderList): HeaderList {
  const named = connectionOptions(headers);
  return headers.filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name));
}

/**
 * The header list to store for a response received at `responseTime`:
 * - without hop-by-hop and proxy fields (§3.1);
 * - without the fields named by a qualified `no-cache="…"`, which may not be reused without
 *   revalidation (§5.2.2.4); §3.1 lets a cache simply not store them, and a later 304 brings
 *   them back;
 * - with a `Date` when the origin sent none (RFC 9110 §6.6.1: a recipient with a clock MUST add
 *   the receipt time when it caches such a response).
 */
export function storedHeaders(headers: HeaderList, responseTime: number): HeaderList {
  const cacheControl = parseCacheControl(getCombinedHeader(headers, 'cache-control'));
  const dropped = new Set(cacheControl.noCacheFields);
  const kept = [...withoutHopByHop(headers)].filter(([name]) => !dropped.has(name));
  if (!kept.some(([name]) => name === 'date')) kept.push(['date', formatHttpDate(responseTime)]);
  return kept;
}

/**
 * Fields a 304 must not overwrite in the stored response (§3.2):
 * - `content-length`: "The Content-Length header field" is excepted by name;
 * - `content-encoding`: a browser decodes content codings as it receives, so the stored body
 *   is not in the coding the field names (§3.2's own example of a field a cache in a user agent
 *   may keep);
 * - `content-range`: "automatically processed and removed" (§3.2);
 * - `vary`: the stored variance hash was computed from the stored `Vary`; a 304 that changed it
 *   would leave the entry under a key that no longer describes it (pingora makes the same
 *   choice in `revalidate_merge_header`);
 * - `age` and `date` are not skipped but handled by {@link merge304Headers}.
 */
export const NOT_UPDATED_BY_304: ReadonlySet<string> = new Set([
  'content-length',
  'content-encoding',
  'content-range',
  'vary',
  ...HOP_BY_HOP,
]);
