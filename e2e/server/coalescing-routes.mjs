// @ts-check
/**
 * Routes for the coalescing specs: a response that hangs only the first time it is asked for,
 * and a large body streamed with backpressure (the page's reading pace is the origin's pace).
 */
import { Buffer } from 'node:buffer';
import { deterministicBody } from './deterministic-body.mjs';
import { writeConfiguredOk } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 */

/**
 * `GET /api/hang-first?size=N`: the first request of this exact path and query never gets its
 * headers (a writer stuck before the response starts); every later one gets N deterministic
 * bytes (default 1024), cacheable `max-age=60` unless `cc` says otherwise.
 *
 * @param {Req} _req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function hangFirstRoute(_req, res, { url, count, now }) {
  if (count === 1) return; // the origin's close() destroys the socket
  const query = url.searchParams;
  const body = deterministicBody(url.pathname + url.search, Number(query.get('size') ?? 1024));
  writeConfiguredOk(res, query, now, count, body.length);
  res.end(body);
}

const BIG_BLOCK = 64 * 1024;

/**
 * Block `index` of the body `/api/big` sends for `key`: one fixed 64 KiB pseudo-random block
 * (see `deterministicBody`) with the block's index written over its first 4 bytes (little
 * endian), so a lost, repeated or reordered block changes the body, and 200 MB cost no hashing.
 *
 * @param {Buffer} base `deterministicBody(key, 65536)`
 * @param {number} index
 * @returns {Buffer}
 */
export function bigBodyBlock(base, index) {
  const block = Buffer.from(base);
  block.writeUInt32LE(index >>> 0, 0);
  return block;
}

/** The base block of `/api/big` for `key` (path and query). @param {string} key */
export function bigBodyBase(key) {
  return deterministicBody(key, BIG_BLOCK);
}

/** Size of one `/api/big` block. */
export const BIG_BODY_BLOCK = BIG_BLOCK;

/**
 * `GET /api/big?size=N[&length=0]`: N bytes (default 200 MiB) of {@link bigBodyBlock}s, written
 * only as fast as the client takes them (backpressure), cacheable `max-age=60` unless `cc` says
 * otherwise. `length=0` omits `Content-Length` (a chunked body of unknown size).
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function bigRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const size = Number(query.get('size') ?? 200 * 1024 * 1024);
  const key = url.pathname + url.search;
  writeConfiguredOk(res, query, now, count, query.get('length') === '0' ? undefined : size);
  if (req.method === 'HEAD') return void res.end();
  const base = bigBodyBase(key);
  let index = 0;
  const pump = () => {
    while (index * BIG_BLOCK < size) {
      const block = bigBodyBlock(base, index);
      const end = Math.min(BIG_BLOCK, size - index * BIG_BLOCK);
      index++;
      if (!res.write(end === BIG_BLOCK ? block : block.subarray(0, end))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => res.off('drain', pump));
  pump();
}
