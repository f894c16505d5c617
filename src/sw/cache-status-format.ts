/**
 * Writing our member of the RFC 9211 `Cache-Status` header: a Structured Field Item (RFC 9651)
 * with parameters. The worker only writes the header, and every parameter it writes is a boolean,
 * an integer, a token or a string, so this is the whole serializer it needs (the parser and the
 * rest of RFC 9651, for tests, the bench and tools, are in `cache-status.ts`).
 */

/** RFC 9211 §2.2 `fwd` values. */
export type ForwardReason =
  'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale' | 'partial';

// Shaped like CacheControl (optional typed parameters) on purpose; the two headers share no field.
export interface CacheStatus {
  /** Served from cache without going to the origin (§2.1). */
  readonly hit?: boolean | undefined;
  /** Why the request went to the origin (§2.2). */
  readonly fwd?: ForwardReason | undefined;
  /** The status the origin answered with (§2.3). */
  readonly fwdStatus?: number | undefined;
  /** Seconds of freshness left; negative when stale (§2.4). */
  readonly ttl?: number | undefined;
  /** The response was stored (§2.5). */
  readonly stored?: boolean | undefined;
  /** The request was coalesced with another one (§2.6). */
  readonly collapsed?: boolean | undefined;
  /** The cache key, only when debugging (§2.7). */
  readonly key?: string | undefined;
  /** Free-form detail: a no-cache reason or the storage layer that served the hit (§2.8). */
  readonly detail?: string | undefined;
}

export const CACHE_NAME = 'sw-http-cache';

/** RFC 9651 §3.3.4 sf-token: `( ALPHA / "*" ) *( tchar / ":" / "/" )`. */
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;

/** RFC 9651 §3.3.1: integers have at most 15 digits. */
const MAX_INTEGER = 999_999_999_999_999;

/**
 * Serialises one list member, `name; key; key=value` with a space after each `;` (RFC 9651
 * §3.1.2 allows it and the header has always been written so); a `true` flag is a bare key
 * (§4.1.1.2).
 */
export function formatCacheStatus(status: CacheStatus, name = CACHE_NAME): string {
  const parts = [tokenOrString(name)];
  if (status.hit) parts.push('hit');
  if (status.fwd !== undefined) parts.push(`fwd=${tokenOrString(status.fwd)}`);
  if (status.fwdStatus !== undefined) parts.push(`fwd-status=${integer(status.fwdStatus)}`);
  if (status.ttl !== undefined) parts.push(`ttl=${integer(status.ttl)}`);
  if (status.stored) parts.push('stored');
  if (status.collapsed) parts.push('collapsed');
  if (status.key !== undefined) parts.push(`key=${sfString(status.key)}`);
  if (status.detail !== undefined) parts.push(`detail=${tokenOrString(status.detail)}`);
  return parts.join('; ');
}

/** Appends our member to whatever `Cache-Status` the response already carries. */
export function appendCacheStatus(existing: string | null, member: string): string {
  return existing === null || existing.trim() === '' ? member : `${existing}, ${member}`;
}

function integer(value: number): string {
  const truncated = Math.trunc(value);
  if (!(Math.abs(truncated) <= MAX_INTEGER)) {
    throw new RangeError(`Cache-Status: ${value} is not a Structured Field integer`);
  }
  return String(truncated === 0 ? 0 : truncated); // never `-0`
}

function tokenOrString(value: string): string {
  return TOKEN.test(value) ? value : sfString(value);
}

/**
 * RFC 9651 §3.3.3 sf-string: printable ASCII only (anything else becomes `?`), with `"` and `\`
 * escaped.
 */
function sfString(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`;
}
