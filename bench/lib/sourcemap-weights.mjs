// Attributes the bytes of a minified bundle to the source files its sourcemap names: each
// generated segment owns the bytes up to the next segment on its line. Enough to tell which
// modules weigh most; no dependency (a base64 VLQ decoder is a dozen lines).

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The fields of one sourcemap segment (base64 VLQ).
 *
 * @param {string} segment
 * @returns {number[]}
 */
export function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Bytes of `code` attributed to each source of `map` (a parsed sourcemap v3), largest first.
 * Bytes before a line's first segment and segments without a source go to `(generated)`.
 *
 * @param {string} code the bundle
 * @param {{ sources: string[], mappings: string }} map
 * @returns {{ source: string, bytes: number }[]}
 */
export function bytesBySource(code, map) {
  const lines = code.split('\n');
  /** @type {Map<string, number>} */
  const weights = new Map();
  const add = (/** @type {string} */ source, /** @type {number} */ bytes) =>
    weights.set(source, (weights.get(source) ?? 0) + bytes);
  let sourceIndex = 0;
  map.mappings.split(';').forEach((lineMappings, lineNo) => {
    const line = lines[lineNo] ?? '';
    /** @type {{ column: number, source: string }[]} */
    const segments = [];
    let column = 0;
    for (const raw of lineMappings.split(',')) {
      if (raw === '') continue;
      const fields = decodeVlq(raw);
      column += fields[0];
      if (fields.length >= 4) {
        sourceIndex += fields[1];
        segments.push({ column, source: map.sources[sourceIndex] ?? '(unknown)' });
      } else {
        segments.push({ column, source: '(generated)' });
      }
    }
    const lineBytes = Buffer.byteLength(line);
    if (segments.length === 0) return add('(generated)', lineBytes + 1);
    add('(generated)', segments[0].column + 1);
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.column ?? line.length;
      add(segment.source, Buffer.byteLength(line.slice(segment.column, end)));
    });
  });
  return [...weights]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Shortens a sourcemap source path to what identifies it: `src/sw/fetch-flow.ts`,
 * `node_modules/idb/build/index.js`.
 *
 * @param {string} source
 */
export function shortSource(source) {
  const at = source.search(/(node_modules|src|demo|bench)\//);
  return at === -1 ? source : source.slice(at);
}
