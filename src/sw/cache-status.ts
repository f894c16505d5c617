/**
 * The RFC 9211 `Cache-Status` response header. Each cache that handled a response appends one
 * list member, so the member closest to the page (ours) comes last.
 */

/** RFC 9211 §2.2 `fwd` values. */
export type ForwardReason =
  'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale' | 'partial';

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

/** Serialises one list member as an RFC 8941 item with parameters. */
export function formatCacheStatus(status: CacheStatus, name = CACHE_NAME): string {
  const params: string[] = [name];
  if (status.hit) params.push('hit');
  if (status.fwd !== undefined) params.push(`fwd=${status.fwd}`);
  if (status.fwdStatus !== undefined) params.push(`fwd-status=${Math.trunc(status.fwdStatus)}`);
  if (status.ttl !== undefined) params.push(`ttl=${Math.trunc(status.ttl)}`);
  if (status.stored) params.push('stored');
  if (status.collapsed) params.push('collapsed');
  if (status.key !== undefined) params.push(`key=${sfString(status.key)}`);
  if (status.detail !== undefined) params.push(`detail=${sfTokenOrString(status.detail)}`);
  return params.join('; ');
}

/** Our member of a `Cache-Status` value: the last one, as the cache nearest the page. */
export function ownCacheStatus(value: string | null): string | null {
  return value === null ? null : (value.split(',').at(-1)?.trim() ?? null);
}

/** Appends our member to whatever `Cache-Status` the response already carries. */
export function appendCacheStatus(existing: string | null, member: string): string {
  return existing === null || existing.trim() === '' ? member : `${existing}, ${member}`;
}

const TOKEN = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*$/;

function sfTokenOrString(value: string): string {
  return TOKEN.test(value) ? value : sfString(value);
}

/** RFC 8941 §3.3.3 sf-string: printable ASCII, with `"` and `\` escaped; others replaced. */
function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
