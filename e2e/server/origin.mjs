// @ts-check
/**
 * The test origin: a plain Node HTTP server that the service worker under test sits in front of.
 * It serves the built demo (`dist-demo/`), the e2e fixture pages under `/e2e/`, and `/api/`
 * routes whose caching behaviour each test sets through the query string. It logs every request
 * so tests can check what actually reached the origin.
 */
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { errorRoute, resetRoute, resourceRoute } from './api-routes.mjs';
import { bigRoute, hangFirstRoute } from './coalescing-routes.mjs';
import { echoRoute } from './echo-route.mjs';
import { faultyRoute } from './fault-routes.mjs';
import { mutateRoute, partialRoute, sequenceRoute } from './http-routes.mjs';
import { mediaRoute } from './media-route.mjs';
import { createRequestLog } from './request-log.mjs';
import { createSlowRoute } from './slow-route.mjs';
import { timedRoute } from './timed-route.mjs';
import { versionedRoute } from './versioned-route.mjs';
import { serveStatic } from './static-files.mjs';
import { variantRoute } from './variant-route.mjs';

export { deterministicBody, deterministicSlice } from './deterministic-body.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * @typedef {object} OriginOptions
 * @property {number} [port] 0 (the default) picks a free port
 * @property {string} [host] interface to bind, default 127.0.0.1
 * @property {string} [staticDir] served at `/`, relative to the repository root; default `dist-demo`
 *
 * @typedef {import('./request-log.mjs').LoggedRequest} LoggedRequest
 *
 * @typedef {object} Origin
 * @property {string} url e.g. `http://127.0.0.1:41234`, no trailing slash
 * @property {number} port
 * @property {() => Promise<void>} close ends every connection, held stream and hanging request
 * @property {(filter?: string) => LoggedRequest[]} requests the log; a pathname matches every
 *   query variant, a pathname with `?query` only that one
 * @property {(filter: string) => number} count same matching as `requests`
 * @property {() => number} bytesSent every byte written to every connection so far (headers and
 *   bodies), for the benchmark's origin traffic
 * @property {(filter: string, n?: number, timeoutMs?: number) => Promise<void>} waitFor resolves
 *   once `filter` has been requested `n` times (default 1)
 * @property {() => void} reset clears the log, the counters, the slow bodies and offline mode
 * @property {(id: string, n?: number) => void} release lets `n` (default all) chunks of
 *   `/api/slow?id=…` go out
 * @property {(offline: boolean, options?: { static?: boolean }) => void} setOffline while
 *   offline every `/api/` request has its connection destroyed; with `static: true` the static
 *   files too
 */

/**
 * Starts the origin and resolves once it listens.
 *
 * @param {OriginOptions} [options]
 * @returns {Promise<Origin>}
 */
export async function startOrigin({ port = 0, host = '127.0.0.1', staticDir = 'dist-demo' } = {}) {
  const staticRoot = isAbsolute(staticDir) ? staticDir : resolve(REPO_ROOT, staticDir);
  const log = createRequestLog();
  const slow = createSlowRoute();
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  let closedSocketBytes = 0;
  let offline = { api: false, static: false };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin.invalid');
    log.record({
      method: req.method ?? 'GET',
      pathname: url.pathname,
      search: url.search,
      headers: req.headers,
      time: Date.now(),
    });
    const context = { url, count: log.countExact(url.pathname + url.search), now: Date.now() };
    const isApi = url.pathname.startsWith('/api/');

    if (url.pathname === '/api/offline') {
      // The one /api/ route that still works offline, so a page (the demo) can switch back.
      const value = url.searchParams.get('value');
      if (value !== null) offline = { api: value === '1' || value === 'true', static: false };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ offline: offline.api }));
      return;
    }
    if ((isApi && offline.api) || (!isApi && offline.static)) {
      req.socket.destroy();
      return;
    }
    if (url.pathname === '/api/mutate') return mutateRoute(req, res, context);
    if (isApi && req.method !== 'GET' && req.method !== 'HEAD') {
      // Other methods are not cacheable; echo them so tests can see they passed through.
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-origin-count': String(context.count),
      });
      res.end(`${req.method} ${url.pathname}${url.search} #${context.count}`);
      return;
    }
    switch (url.pathname) {
      case '/api/resource':
        return resourceRoute(req, res, context);
      case '/api/slow':
        return slow.handle(req, res, context);
      case '/api/error':
        return errorRoute(req, res, context);
      case '/api/reset':
        return resetRoute(req, res, context);
      case '/api/hang':
        return; // never answers; close() destroys the socket
      case '/api/hang-first':
        return hangFirstRoute(req, res, context);
      case '/api/faulty':
        return faultyRoute(req, res, context);
      case '/api/big':
        return bigRoute(req, res, context);
      case '/api/sequence':
        return sequenceRoute(req, res, context);
      case '/api/partial':
        return partialRoute(req, res, context);
      case '/api/echo':
        return echoRoute(req, res);
      case '/api/versioned':
        return versionedRoute(req, res, context);
      case '/api/variant':
        return variantRoute(req, res, context);
      case '/api/timed':
        return timedRoute(req, res, context);
      case '/api/media':
        return void mediaRoute(req, res, context);
    }
    void serveFile(req, res, url.pathname);
  });

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} pathname
   */
  async function serveFile(req, res, pathname) {
    const served = pathname.startsWith('/e2e/')
      ? await serveStatic(req, res, FIXTURES_DIR, pathname.slice('/e2e/'.length))
      : await serveStatic(req, res, staticRoot, pathname.slice(1));
    if (served) return;
    res.writeHead(404, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(
      existsSync(staticRoot)
        ? `not found: ${pathname}`
        : `not found: ${pathname} (${staticRoot} does not exist; run node scripts/build.mjs)`,
    );
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedSocketBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => resolveListen(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('origin: no TCP address');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    requests: (filter) => log.list(filter),
    count: (filter) => log.count(filter),
    bytesSent: () => [...sockets].reduce((sum, s) => sum + s.bytesWritten, closedSocketBytes),
    waitFor: (filter, n = 1, timeoutMs = 10_000) => log.waitFor(filter, n, timeoutMs),
    reset() {
      log.reset();
      slow.reset();
      offline = { api: false, static: false };
    },
    release: (id, n) => slow.release(id, n),
    setOffline(value, options = {}) {
      offline = { api: value, static: value && options.static === true };
    },
    close() {
      log.close();
      slow.reset();
      const closed = new Promise((resolveClose) => server.close(() => resolveClose(undefined)));
      for (const socket of sockets) socket.destroy();
      return closed.then(() => undefined);
    },
  };
}
