/**
 * Cache keys (pingora `CacheKey`): a namespace, a primary key (the normalised URL) and an optional
 * variance (the hash of the request headers named by the stored response's `Vary`).
 *
 * Hashes are only for indexing: storage keeps the full key and compares it on lookup, so a hash
 * collision can never serve one URL's response for another.
 */

export interface CacheKey {
  /** Separates independent caches on one origin (for example a version or a user id). */
  readonly namespace: string;
  /** The normalised request URL (see {@link normalizeUrl}). */
  readonly primary: string;
  /** Hash of the request's values for the headers named in `Vary`, when the response varies. */
  readonly variance?: string | undefined;
}

/** Hex digest of the namespace and primary key: one per URL, shared by all its variants. */
export function primaryHash(key: CacheKey): string {
  return hashString(`${key.namespace}\u0000${key.primary}`);
}

/** Hex digest of the whole key: one per stored variant. */
export function variantHash(key: CacheKey): string {
  return key.variance === undefined
    ? primaryHash(key)
    : hashString(`${key.namespace}\u0000${key.primary}\u0000${key.variance}`);
}

/** The same key without its variance (the primary slot of pingora's variance scheme). */
export function withoutVariance(key: CacheKey): CacheKey {
  return { namespace: key.namespace, primary: key.primary };
}

export function withVariance(key: CacheKey, variance: string | undefined): CacheKey {
  return { namespace: key.namespace, primary: key.primary, variance };
}

/** Whether `a` and `b` are keys of the same URL (namespace and primary key), any variance. */
export function sameUrl(a: CacheKey, b: CacheKey): boolean {
  return a.namespace === b.namespace && a.primary === b.primary;
}

export function keysEqual(a: CacheKey, b: CacheKey): boolean {
  return a.namespace === b.namespace && a.primary === b.primary && a.variance === b.variance;
}

/**
 * The URL as a cache key: parsed by the WHATWG URL parser (which resolves `..`, lowercases the
 * scheme and host, drops default ports and normalises percent-encoding of the path), without its
 * fragment, which never reaches the server (RFC 9110 §4.2.4).
 */
export function normalizeUrl(url: string, base?: string): string {
  const parsed = new URL(url, base);
  parsed.hash = '';
  return parsed.href;
}

/**
 * A stable, synchronous 128-bit hash (cyrb128: four 32-bit lanes mixed with `Math.imul`), as 32
 * hex characters. Synchronous because it runs on every request in the hot path, where
 * `crypto.subtle.digest` would add a task; collisions are harmless (see the module comment).
 */
export function hashString(input: string): string {
  // A request hashes its key several times (memory, IndexedDB, the lock, eviction): the last
  // digest is kept (bench/cpu-profile.mjs: ~0.3 ms of a just-started worker's hit).
  if (input === lastInput) return lastDigest;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const digest = [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
  lastInput = input;
  lastDigest = digest;
  return digest;
}

let lastInput: string | undefined;
let lastDigest = '';
