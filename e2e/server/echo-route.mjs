// @ts-check
/**
 * `GET /api/echo…`: a cacheable answer (`max-age=600`) whose body names the request target
 * exactly as it reached the origin (`req.url`, not re-parsed) plus a nonce unique to this origin
 * response. The security spec uses it to see which URL a cached body was made for (a body served
 * for another URL, a confused cache key, shows at once) and whether two answers are one stored
 * response (same nonce) or two origin responses.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function echoRoute(req, res) {
  const body = Buffer.from(`echo ${req.method ?? 'GET'} ${req.url ?? ''} ${randomUUID()}`);
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'max-age=600',
    'content-length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
