// @ts-check
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/** Content types for what the demo and the fixtures ship. */
const CONTENT_TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
});

/**
 * Resolves a URL path inside `root`, or undefined if it would escape it.
 *
 * @param {string} root
 * @param {string} urlPath decoded path relative to root, without a leading slash
 */
function resolveInside(root, urlPath) {
  const file = normalize(join(root, urlPath));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep)
    ? file
    : undefined;
}

/**
 * Serves a file from `root` with `Cache-Control: no-cache` and a strong ETag, answering 304 to a
 * matching If-None-Match. Returns false when there is no such file, so the caller can 404.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} root absolute directory
 * @param {string} relativePath URL path below root (already stripped of any mount prefix)
 * @returns {Promise<boolean>}
 */
export async function serveStatic(req, res, root, relativePath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return false;
  }
  let file = resolveInside(root, decoded);
  if (file === undefined) return false;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const headers = {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
    } else {
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
    return true;
  } catch {
    return false;
  }
}
