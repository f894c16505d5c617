// @ts-check
import { setTimeout, clearTimeout } from 'node:timers';

/**
 * @typedef {object} LoggedRequest
 * @property {string} method
 * @property {string} pathname
 * @property {string} search the query string including `?`, or '' when there is none
 * @property {import('node:http').IncomingHttpHeaders} headers lower-case names, as Node parses them
 * @property {number} time `Date.now()` when the request arrived
 */

/**
 * Matches a logged request against a filter: a bare pathname matches every query variant,
 * a pathname with `?` matches that exact path and query.
 *
 * @param {LoggedRequest} entry
 * @param {string | undefined} filter
 */
function matches(entry, filter) {
  if (filter === undefined) return true;
  return filter.includes('?')
    ? entry.pathname + entry.search === filter
    : entry.pathname === filter;
}

/** Everything that reached the origin, for assertions on what the worker forwarded. */
export function createRequestLog() {
  /** @type {LoggedRequest[]} */
  let entries = [];
  /** @type {Set<() => void>} */
  const listeners = new Set();
  /** @type {Set<(error: Error) => void>} */
  const waiters = new Set();

  /** @param {string | undefined} filter */
  const list = (filter) => entries.filter((entry) => matches(entry, filter));

  return {
    /** @param {LoggedRequest} entry */
    record(entry) {
      entries.push(entry);
      for (const listener of [...listeners]) listener();
    },
    list,
    /** @param {string} [filter] */
    count: (filter) => list(filter).length,
    /** @param {string} pathAndQuery compared exactly, `/a` does not match `/a?b` */
    countExact: (pathAndQuery) =>
      entries.filter((entry) => entry.pathname + entry.search === pathAndQuery).length,
    /**
     * Resolves once `filter` has been requested at least `n` times; rejects after `timeoutMs`.
     *
     * @param {string} filter
     * @param {number} n
     * @param {number} timeoutMs
     * @returns {Promise<void>}
     */
    waitFor(filter, n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (list(filter).length < n) return;
          done();
          resolve();
        };
        /** @param {Error} error */
        const fail = (error) => {
          done();
          reject(error);
        };
        const timer = setTimeout(
          () => fail(new Error(`origin: ${filter} requested ${list(filter).length}/${n} times`)),
          timeoutMs,
        );
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          waiters.delete(fail);
        };
        listeners.add(check);
        waiters.add(fail);
        check();
      });
    },
    reset() {
      entries = [];
    },
    /** Rejects pending `waitFor` calls and stops their timers, so the process can exit. */
    close() {
      for (const fail of [...waiters]) fail(new Error('origin closed'));
    },
  };
}
