// @ts-check
import { setTimeout } from 'node:timers';
import { deterministicSlice } from './deterministic-body.mjs';
import { configuredHeaders } from './response-headers.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 * @typedef {{ url: URL, count: number, now: number }} RouteContext
 */

/**
 * `GET /api/versioned?size=N&every=M[&pieces=P&interval=ms&cc=…]`: a resource whose version
 * changes every M requests of this exact URL (version `ceil(count / M)`, default M = 1), for
 * revalidation tests that must tell an old body from a new one:
 *
 * - `ETag: "v<version>"`; a request whose `If-None-Match` names the current version gets a 304
 *   (with the ETag and the configured headers, no body);
 * - otherwise a 200 whose N bytes are `deterministicBody(pathAndQuery + '#v' + version, N)`, sent
 *   in P pieces (default 1) one `interval` ms apart (default 0), so a body can be cut part way.
 *
 * A served body therefore belongs to exactly the version its ETag names: a body mixed from two
 * versions, or headers of one with the bytes of another, cannot match.
 *
 * @param {Req} req
 * @param {Res} res
 * @param {RouteContext} context
 */
export function versionedRoute(req, res, { url, count, now }) {
  const query = url.searchParams;
  const every = Math.max(1, Number(query.get('every') ?? 1));
  const size = Number(query.get('size') ?? 1024);
  const pieces = Math.max(1, Number(query.get('pieces') ?? 1));
  const interval = Number(query.get('interval') ?? 0);
  const version = Math.ceil(count / every);
  const etag = `"v${version}"`;
  const { headers, sendDate } = configuredHeaders(query, now);
  res.sendDate = sendDate;
  const common = { 'cache-control': 'max-age=0', ...headers, etag };

  const asked = req.headers['if-none-match'];
  if (asked !== undefined && asked.split(',').some((tag) => tag.trim() === etag)) {
    res.writeHead(304, common).end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    ...common,
    'content-length': String(size),
  });
  if (req.method === 'HEAD') return void res.end();

  const key = `${url.pathname}${url.search}#v${version}`;
  const pieceSize = Math.ceil(size / pieces);
  let sent = 0;
  const sendNext = () => {
    if (res.destroyed) return;
    const end = Math.min(size, sent + pieceSize);
    res.write(deterministicSlice(key, sent, end));
    sent = end;
    if (sent >= size) res.end();
    else setTimeout(sendNext, interval).unref();
  };
  sendNext();
}
