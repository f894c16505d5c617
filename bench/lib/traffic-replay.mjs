/* global fetch -- page-side code passed to page.evaluate */
// Replays a trace (bench/lib/traffic-trace.mjs) in one contender's page, in real time divided by
// TIME_SCALE: each page view at its time, its document first, then the rest six at a time as a
// browser would; every answer with the version the origin stamped on it.
import { URLSearchParams } from 'node:url';
import { replayMs } from './traffic-judge.mjs';
import { scaledCacheControl } from './traffic-policies.mjs';
import { sleep } from './page-fetch.mjs';

/** Parallel requests per page view after the document (a browser's per-host connections). */
const LANES = 6;

/**
 * @typedef {object} Answer
 * @property {import('./traffic-trace.mjs').Resource} resource
 * @property {number} at when the page sent the request (ms, wall clock)
 * @property {number} status 0 for a network error
 * @property {number} version `X-Version`, NaN when missing
 * @property {number} sentAt `X-Sent-At`: when the origin last sent or validated this copy (ms)
 * @property {number} bytes body bytes the page read
 * @property {string | null} cacheStatus the answer's `Cache-Status`, if any
 */

/**
 * The URL of `resource` in the run `run` of a session that starts at `epoch`: the origin's
 * `/api/timed` route, told its change times and its headers (scaled).
 *
 * @param {import('./traffic-trace.mjs').Resource} resource
 * @param {number} epoch ms
 * @param {number} run
 */
export function resourceUrl(resource, epoch, run) {
  const { policy } = resource;
  const query = new URLSearchParams({
    id: `${run}/${resource.id}`,
    epoch: String(epoch),
    changes: resource.changes.map((t) => Math.round(replayMs(t))).join(','),
    size: String(resource.size),
    ctype: policy.ctype,
  });
  const cc = scaledCacheControl(policy);
  if (cc !== undefined) query.set('cc', cc);
  if (policy.vary !== undefined) query.set('vary', policy.vary);
  if (policy.validator !== undefined) query.set('validator', policy.validator);
  // Version 0 of a Last-Modified resource dates from a week (of trace time) before the session.
  if (policy.validator === 'lm') query.set('born', String(Math.round(replayMs(7 * 86_400))));
  return `/api/timed?${query}`;
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('./traffic-trace.mjs').Trace} trace
 * @param {number} epoch ms; the first view is requested then
 * @param {number} run
 * @returns {Promise<Answer[]>}
 */
export async function replay(page, trace, epoch, run) {
  /** @type {Answer[]} */
  const answers = [];
  for (const view of trace.views) {
    await sleep(epoch + replayMs(view.at) - Date.now());
    const requests = view.requests.map(({ resource, accept }) => ({
      url: resourceUrl(resource, epoch, run),
      accept: accept ?? null,
    }));
    const results = await page.evaluate(
      async ({ requests, lanes }) => {
        /** @param {{ url: string, accept: string | null }} request */
        const one = async ({ url, accept }) => {
          const at = Date.now();
          try {
            const response = await fetch(url, accept === null ? {} : { headers: { accept } });
            const bytes = (await response.arrayBuffer()).byteLength;
            const version = Number(response.headers.get('x-version') ?? Number.NaN);
            const sentAt = Number(response.headers.get('x-sent-at') ?? Number.NaN);
            const cacheStatus = response.headers.get('cache-status');
            return { at, status: response.status, version, sentAt, bytes, cacheStatus };
          } catch {
            const failed = { version: Number.NaN, sentAt: Number.NaN, bytes: 0, cacheStatus: null };
            return { at, status: 0, ...failed };
          }
        };
        const [first, ...rest] = requests;
        const out = [await one(first)];
        let next = 0;
        const lane = async () => {
          while (next < rest.length) {
            const i = next++;
            out[i + 1] = await one(rest[i]);
          }
        };
        await Promise.all(Array.from({ length: lanes }, lane));
        return out;
      },
      { requests, lanes: LANES },
    );
    results.forEach((result, i) =>
      answers.push({ resource: view.requests[i].resource, ...result }),
    );
  }
  return answers;
}
