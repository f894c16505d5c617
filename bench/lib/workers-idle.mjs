/* global performance, navigator, MessageChannel -- page-side code passed to page.evaluate */
// Service workers stopped the way Firefox stops them by itself: after its idle timeout (the
// `dom.serviceWorkers.idle_timeout` preference, set low by `npm run bench -- --browser=firefox`),
// for a browser without the DevTools protocol's `ServiceWorker.stopWorker`. Waiting is not
// proof, so every stop is checked: the workers run bench/workers/instance-probe.ts first, which
// answers the instance's `performance.timeOrigin`, and the first request after the wait must
// have started a new instance.
import { sleep } from './page-fetch.mjs';

/**
 * Firefox's idle timeouts for the bench (defaults 30 s and 5 min): a worker with no event for
 * 1 s is stopped, or 5 s more when work it extended with `waitUntil` is still pending.
 */
export const IDLE_PREFS = {
  'dom.serviceWorkers.idle_timeout': 1000,
  'dom.serviceWorkers.idle_extended_timeout': 5000,
};
/** The wait after a worker's last event: the idle timeout and a margin. */
export const IDLE_WAIT_MS = 1500;

/**
 * When the controlling worker's instance was created (its `performance.timeOrigin`), on the
 * page's wall clock. A message event: it starts the worker if it is stopped.
 *
 * @param {import('playwright-core').Page} page
 * @returns {Promise<number>}
 */
function instanceStart(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    const answer = new Promise((resolve, reject) => {
      channel.port1.onmessage = ({ data }) => resolve(data);
      setTimeout(() => reject(new Error('no answer: is instance-probe.ts in the worker?')), 5000);
    });
    registration.active?.postMessage('bench:timeOrigin', [channel.port2]);
    return answer;
  });
}

/** @param {import('playwright-core').Page} page the page's wall clock, in ms */
const pageNow = (page) => page.evaluate(() => performance.timeOrigin + performance.now());

/**
 * @param {Record<string, import('./contenders.mjs').Contender>} contenders whose pages ask
 * @param {number} waitMs how long after its last event a worker is taken as stopped: more
 *   than the idle timeout
 * @returns {import('../sections/context.mjs').WorkerControl}
 */
export function idleWorkers(contenders, waitMs) {
  /** @param {string} origin */
  const pageOf = (origin) => {
    const contender = Object.values(contenders).find((c) => c.url === origin);
    if (contender === undefined) throw new Error(`no contender on ${origin}`);
    return contender.page;
  };
  /** When each origin's wait ended, on its page's clock. */
  /** @type {Map<string, number>} */
  const waited = new Map();

  return {
    async stop(origin) {
      // Nothing reaches the worker while this waits (each contender has its own origin).
      await sleep(waitMs);
      waited.set(origin, await pageNow(pageOf(origin)));
    },
    async restarted(origin) {
      const after = waited.get(origin);
      if (after === undefined) throw new Error(`restarted(${origin}) without stop()`);
      waited.delete(origin);
      const page = pageOf(origin);
      const asked = await pageNow(page);
      const started = await instanceStart(page);
      // Started after the wait and before this question: by the request(s) in between.
      if (!(started > after && started < asked)) {
        throw new Error(
          `the worker of ${origin} was not restarted: its instance started ` +
            `${(started - after).toFixed(1)} ms after the ${waitMs} ms wait ended ` +
            `(${(asked - after).toFixed(1)} ms before it was asked); raise the wait`,
        );
      }
    },
    close: async () => {},
  };
}
