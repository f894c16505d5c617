/**
 * Invalidation by unsafe requests (RFC 9111 §4.4) and by `Clear-Site-Data` (W3C Clear Site
 * Data §3.1).
 */
import { normalizeUrl } from '../key.ts';

/** Methods that cannot change the origin's state (RFC 9110 §9.2.1). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The URLs a response to an unsafe request invalidates (RFC 9111 §4.4): after a non-error
 * status (2xx, 3xx), the target URI, and the `Location` and `Content-Location` URIs when they
 * share its origin (a cache must not let one origin invalidate another's entries).
 */
export function invalidatedUrls(
  method: string,
  targetUrl: string,
  status: number,
  headers: Headers,
): string[] {
  if (!isUnsafeMethod(method) || status < 200 || status >= 400) return [];
  const target = new URL(targetUrl);
  const urls = new Set([normalizeUrl(target.href)]);
  for (const name of ['location', 'content-location']) {
    const value = headers.get(name);
    if (value === null) continue;
    let url: URL;
    try {
      url = new URL(value.trim(), target);
    } catch {
      continue; // a malformed header invalidates nothing
    }
    if (url.origin === target.origin) urls.add(normalizeUrl(url.href));
  }
  return [...urls];
}

/**
 * Whether `Clear-Site-Data` asks to clear the cache: a list of quoted strings, where `"cache"`
 * or the wildcard `"*"` includes it. Unquoted or unknown members are ignored, as the spec says.
 */
export function clearsCache(headers: Headers): boolean {
  const value = headers.get('clear-site-data');
  if (value === null) return false;
  return value
    .split(',')
    .map((member) => member.trim())
    .some((member) => member === '"cache"' || member === '"*"');
}
