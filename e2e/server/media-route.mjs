// @ts-check
/**
 * `GET /api/media?file=<name>`: a media file from `test-results/media/` (made at test time, see
 * e2e/helpers/media-clip.ts), served as a media server does: byte ranges (one range, RFC 9110
 * §14), a strong ETag (a hash of the bytes), `If-Range` and `If-None-Match`, and `max-age=3600`.
 * Under `/api/`, so `setOffline(true)` switches it off.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestedRange } from './http-routes.mjs';

/** Bytes of media bodies handed to the sockets, per origin port (bench/media.mjs reads it). */
const SENT = new Map();
/**
 * Per origin port, the bytes of the file each response handed to its socket: `[start, end)`
 * (bench/media.mjs finds the bytes sent twice from them).
 *
 * @type {Map<number, { start: number, end: number }[]>}
 */
const SPANS = new Map();

/**
 * The spans of the file the origin listening on `port` has sent, one per response.
 *
 * @param {number} port
 */
export function mediaSpansSent(port) {
  return SPANS.get(port) ?? [];
}

/**
 * The media bytes the origin listening on `port` has sent so far.
 *
 * @param {number} port
 */
export function mediaBytesSent(port) {
  return SENT.get(port) ?? 0;
}

/** Where the specs write their media files. */
export const MEDIA_DIR = fileURLToPath(new URL('../../test-results/media/', import.meta.url));

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ url: URL }} context
 */
export async function mediaRoute(req, res, { url }) {
  const name = basename(url.searchParams.get('file') ?? '');
  let body;
  try {
    body = await readFile(join(MEDIA_DIR, name));
  } catch {
    res.writeHead(404, { 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = {
    'content-type': 'video/webm',
    'cache-control': 'max-age=3600',
    'accept-ranges': 'bytes',
    etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const ifRange = req.headers['if-range'];
  // One range (`requestedRange`); anything else, or a failed `If-Range`, gets the whole body.
  const range =
    ifRange === undefined || ifRange === etag
      ? requestedRange(req.headers.range, body.length)
      : undefined;
  if (range === undefined) {
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    await send(req, res, req.method === 'HEAD' ? body.subarray(0, 0) : body, 0);
    return;
  }
  const [start, end] = range;
  res.writeHead(206, {
    ...headers,
    'content-range': `bytes ${start}-${end}/${body.length}`,
    'content-length': String(end - start + 1),
  });
  await send(
    req,
    res,
    req.method === 'HEAD' ? body.subarray(0, 0) : body.subarray(start, end + 1),
    start,
  );
}

/**
 * Writes `bytes` in 64 KiB pieces at the pace the client reads them (a client that goes away
 * stops it), counting what was handed to the socket.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Uint8Array} bytes
 * @param {number} offset where `bytes` start in the file
 */
async function send(req, res, bytes, offset) {
  const port = req.socket.localPort ?? 0;
  const span = { start: offset, end: offset };
  SPANS.set(port, [...mediaSpansSent(port), span]);
  let closed = false;
  /** @type {(() => void) | undefined} */
  let wake;
  res.once('close', () => {
    closed = true;
    wake?.();
  });
  for (let at = 0; at < bytes.length && !closed; at += 65_536) {
    const piece = bytes.subarray(at, at + 65_536);
    SENT.set(port, mediaBytesSent(port) + piece.length);
    span.end += piece.length;
    if (!res.write(piece)) {
      await new Promise((resolve) => {
        wake = () => resolve(undefined);
        res.once('drain', wake);
      });
      res.off('drain', /** @type {() => void} */ (wake));
    }
  }
  res.end();
}
