// @ts-check
import { setInterval, clearInterval } from 'node:timers';
import { deterministicSlice } from './deterministic-body.mjs';
import { writeConfiguredOk } from './response-headers.mjs';

/**
 * @typedef {object} SlowBody
 * @property {number} released chunks anyone may send so far
 * @property {Set<() => void>} streams wake-ups of the responses still sending this body
 * @property {NodeJS.Timeout | undefined} timer releases one chunk per `interval`, if asked
 */

/**
 * `GET /api/slow?id=…&chunks=N&chunkSize=K[&interval=ms]`: a streamed body of N chunks of K
 * bytes (defaults 4 × 1024, deterministic content keyed by path and query), cacheable
 * `max-age=60` unless `cc` says otherwise. Headers go out at once; chunks wait for
 * `release(id, n)` or, with `interval`, for a timer. Released chunks stay released for the id,
 * so a reader that arrives after the writer gets them immediately and then waits like it.
 */
export function createSlowRoute() {
  /** @type {Map<string, SlowBody>} */
  const bodies = new Map();

  /** @param {string} id */
  const bodyFor = (id) => {
    let body = bodies.get(id);
    if (body === undefined) {
      body = { released: 0, streams: new Set(), timer: undefined };
      bodies.set(id, body);
    }
    return body;
  };

  /** @param {SlowBody} body */
  const stopTimer = (body) => {
    if (body.timer !== undefined) clearInterval(body.timer);
    body.timer = undefined;
  };

  return {
    /**
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @param {{ url: URL, count: number, now: number }} context
     */
    handle(req, res, { url, count, now }) {
      const query = url.searchParams;
      const id = query.get('id') ?? 'default';
      const chunks = Number(query.get('chunks') ?? 4);
      const chunkSize = Number(query.get('chunkSize') ?? 1024);
      const interval = query.get('interval');
      const key = url.pathname + url.search;
      const body = bodyFor(id);
      writeConfiguredOk(res, query, now, count, chunks * chunkSize);
      res.flushHeaders();
      if (req.method === 'HEAD') return void res.end();

      let sent = 0;
      const pump = () => {
        while (sent < Math.min(body.released, chunks)) {
          res.write(deterministicSlice(key, sent * chunkSize, (sent + 1) * chunkSize));
          sent++;
        }
        if (sent === chunks) {
          body.streams.delete(pump);
          res.end();
        }
      };
      body.streams.add(pump);
      res.on('close', () => body.streams.delete(pump));
      if (interval !== null && body.timer === undefined) {
        body.timer = setInterval(() => {
          body.released++;
          for (const wake of [...body.streams]) wake();
          if (body.released >= chunks) stopTimer(body);
        }, Number(interval));
      }
      pump();
    },

    /**
     * Lets `n` more chunks of body `id` go out (all of them when `n` is omitted), to every
     * response of that id now streaming and to every later one.
     *
     * @param {string} id
     * @param {number} [n]
     */
    release(id, n = Number.MAX_SAFE_INTEGER) {
      const body = bodyFor(id);
      body.released = Math.min(Number.MAX_SAFE_INTEGER, body.released + n);
      for (const wake of [...body.streams]) wake();
    },

    /** Forgets every body and stops its timer (streams still open are ended by the server). */
    reset() {
      for (const body of bodies.values()) stopTimer(body);
      bodies.clear();
    },
  };
}
