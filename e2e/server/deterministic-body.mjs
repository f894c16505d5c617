// @ts-check
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';

const BLOCK = 32; // one SHA-256 digest

/**
 * Bytes that depend only on `key` and `size`, so a test can recompute the body it expects
 * (or its hash) without the origin keeping anything: block i is sha256(`${key}:${i}`).
 *
 * @param {string} key usually the request's path and query
 * @param {number} size length in bytes
 * @returns {Buffer}
 */
export function deterministicBody(key, size) {
  return deterministicSlice(key, 0, size);
}

/**
 * The bytes [start, end) of `deterministicBody(key, …)`, without building what comes before.
 *
 * @param {string} key
 * @param {number} start
 * @param {number} end
 * @returns {Buffer}
 */
export function deterministicSlice(key, start, end) {
  const out = Buffer.alloc(Math.max(0, end - start));
  let written = 0;
  for (let block = Math.floor(start / BLOCK); written < out.length; block++) {
    const digest = createHash('sha256').update(`${key}:${block}`).digest();
    const from = written === 0 ? start - block * BLOCK : 0;
    written += digest.copy(out, written, from);
  }
  return out;
}
