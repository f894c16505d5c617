// 9. Origin traffic: one browsing session (bench/lib/traffic-trace.mjs: 30 minutes of page views
// over a site whose response headers follow the mix the HTTP Archive Web Almanac 2020 reports,
// https://almanac.httparchive.org/en/2020/caching) replayed 60× faster through sw-http-cache,
// Workbox CacheFirst, Workbox StaleWhileRevalidate and no worker (the browser's HTTP cache), all
// four at once on the same clock. For each: the requests and bytes that reached the origin, and
// the answers the RFC forbids: served longer after the origin last sent or validated them than
// `max-age` + `stale-while-revalidate` allow, and of those, the ones with a version the origin
// had replaced (bench/lib/traffic-judge.mjs). The goal is the fewest origin bytes among
// contenders with no forbidden answer.
import { URLSearchParams } from 'node:url';
import { judge, replayMs, servedPastFreshness } from '../lib/traffic-judge.mjs';
import { replay } from '../lib/traffic-replay.mjs';
import { TIME_SCALE } from '../lib/traffic-policies.mjs';
import { buildTrace, requestMix } from '../lib/traffic-trace.mjs';
import { sleep } from '../lib/page-fetch.mjs';
import { percentile } from '../storage/stats.mjs';

/** The contenders of this section, by key of CONTENDERS. */
export const TRAFFIC_CONTENDERS = ['ours', 'cacheFirst', 'swr', 'browser'];

const SEED = 20_261_125;
const SECTION = '9 traffic';
/** After the last view: background revalidations (swr) still reach the origin. */
const DRAIN_MS = 2_000;

/**
 * @typedef {object} Tally
 * @property {number} requests
 * @property {number} conditional
 * @property {number} bytes
 * @property {number} forbidden served past `max-age` + swr since the origin last sent or
 *   validated the copy: what the RFC forbids
 * @property {number} outdated of those, a version the origin had replaced (judge)
 * @property {number} allowed outdated, within what the headers allow
 * @property {number} errors answers that were not a 200 of the expected size
 * @property {Map<string, { requests: number, conditional: number, forbidden: number }>} byKind
 * @property {Map<string, number>} served answers by how sw-http-cache's `Cache-Status` says it
 *   answered (none for the others)
 */

/** How an answer's `Cache-Status` says it was served, in a word. @param {string | null} header */
function servedAs(header) {
  if (header === null) return undefined;
  if (/; hit\b/.test(header)) return 'from storage';
  if (/fwd-status=304/.test(header)) return 'after a 304';
  return 'from the origin';
}

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {{ minutes: number, runs: number }} plan
 * @returns {Promise<string[]>} the trace's mix and a breakdown by kind, to print with the table
 */
export async function runTraffic(ctx, { minutes, runs }) {
  const trace = buildTrace({ seed: SEED, minutes });
  const requests = trace.views.reduce((sum, view) => sum + view.requests.length, 0);
  const kindOf = new Map(trace.resources.map((r) => [r.id, r.policy.kind]));
  ctx.log(
    `traffic: ${trace.views.length} page views, ${requests} requests over ${minutes} trace ` +
      `minutes, replayed in ${(replayMs(trace.seconds) / 1000).toFixed(0)} s per run`,
  );
  /** @type {Record<string, Tally[]>} */
  const tallies = {};
  for (let run = 1; run <= runs; run++) {
    const epoch = Date.now() + 1_000;
    const results = await Promise.all(
      TRAFFIC_CONTENDERS.map(async (key) => {
        const contender = ctx.contenders[key];
        const loggedBefore = contender.origin.requests('/api/timed').length;
        const bytesBefore = contender.origin.bytesSent();
        const answers = await replay(contender.page, trace, epoch, run);
        await sleep(DRAIN_MS);
        const logged = contender.origin.requests('/api/timed').slice(loggedBefore);
        return { key, answers, logged, bytes: contender.origin.bytesSent() - bytesBefore };
      }),
    );
    for (const { key, ...observed } of results) {
      const tally = tallyRun(observed, { run, epoch, kindOf });
      (tallies[key] ??= []).push(tally);
      pushSamples(ctx, ctx.contenders[key].name, tally);
    }
    ctx.log(`traffic: run ${run}/${runs} done`);
  }
  return report(ctx, trace, tallies);
}

/**
 * One contender's run, counted: the origin's log (requests of this run only) and the answers.
 *
 * @param {{ answers: import('../lib/traffic-replay.mjs').Answer[], logged: import('../../e2e/server/origin.mjs').LoggedRequest[], bytes: number }} observed
 * @param {{ run: number, epoch: number, kindOf: Map<string, string> }} session
 * @returns {Tally}
 */
function tallyRun({ answers, logged, bytes }, { run, epoch, kindOf }) {
  /** @type {Tally} */
  const tally = {
    requests: 0,
    conditional: 0,
    bytes,
    forbidden: 0,
    outdated: 0,
    allowed: 0,
    errors: 0,
    byKind: new Map(),
    served: new Map(),
  };
  const kindTally = (/** @type {string} */ kind) => {
    let entry = tally.byKind.get(kind);
    if (entry === undefined) {
      entry = { requests: 0, conditional: 0, forbidden: 0 };
      tally.byKind.set(kind, entry);
    }
    return entry;
  };
  for (const entry of logged) {
    const id = new URLSearchParams(entry.search).get('id') ?? '';
    if (!id.startsWith(`${run}/`)) continue;
    const conditional =
      entry.headers['if-none-match'] !== undefined ||
      entry.headers['if-modified-since'] !== undefined;
    const kind = kindTally(kindOf.get(id.slice(`${run}/`.length)) ?? '?');
    tally.requests++;
    kind.requests++;
    if (conditional) {
      tally.conditional++;
      kind.conditional++;
    }
  }
  for (const answer of answers) {
    const served = servedAs(answer.cacheStatus);
    if (served !== undefined) tally.served.set(served, (tally.served.get(served) ?? 0) + 1);
    if (answer.status !== 200 || answer.bytes !== answer.resource.size) {
      tally.errors++;
      continue;
    }
    if (servedPastFreshness(answer.resource, answer)) {
      tally.forbidden++;
      kindTally(answer.resource.policy.kind).forbidden++;
    }
    const verdict = judge(answer.resource, epoch, answer);
    if (verdict === 'forbidden') tally.outdated++;
    if (verdict === 'allowed') tally.allowed++;
  }
  return tally;
}

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {string} contender
 * @param {Tally} tally
 */
function pushSamples(ctx, contender, tally) {
  const size = 'one session';
  /** @param {string} measure @param {number} value @param {'requests' | 'KB'} unit */
  const push = (measure, value, unit) =>
    ctx.samples.push({ section: SECTION, measure, size, contender, value, unit });
  push('requests reaching the origin', tally.requests, 'requests');
  push('of which conditional', tally.conditional, 'requests');
  push('KB sent by the origin', tally.bytes / 1000, 'KB');
  push('answers past freshness (RFC forbids)', tally.forbidden, 'requests');
  push('of those, an outdated version', tally.outdated, 'requests');
  push('outdated answers the RFC allows', tally.allowed, 'requests');
  push('failed answers', tally.errors, 'requests');
}

/**
 * The lines printed after the table: the trace's mix, the last run's breakdown by kind, and
 * which contender met the goal.
 *
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {import('../lib/traffic-trace.mjs').Trace} trace
 * @param {Record<string, Tally[]>} tallies
 */
function report(ctx, trace, tallies) {
  const name = (/** @type {string} */ key) => ctx.contenders[key].name;
  const lines = [
    `\nSection 9, the replayed session (seed ${SEED}, ${trace.seconds / 60} trace minutes at ` +
      `${TIME_SCALE}× speed): request mix by kind of response`,
    ...requestMix(trace).map(
      (m) =>
        `  ${(m.share * 100).toFixed(1).padStart(5)}%  ${String(m.requests).padStart(4)}  ${m.kind}`,
    ),
    '\nLast run by kind: origin requests (conditional) / answers the RFC forbids',
    `| kind | ${TRAFFIC_CONTENDERS.map(name).join(' | ')} |`,
    `| --- | ${TRAFFIC_CONTENDERS.map(() => '---').join(' | ')} |`,
  ];
  const last = Object.fromEntries(TRAFFIC_CONTENDERS.map((key) => [key, tallies[key].at(-1)]));
  for (const { kind } of requestMix(trace)) {
    const cells = TRAFFIC_CONTENDERS.map((key) => {
      const entry = last[key]?.byKind.get(kind);
      return entry === undefined
        ? '0 (0) / 0'
        : `${entry.requests} (${entry.conditional}) / ${entry.forbidden}`;
    });
    lines.push(`| ${kind} | ${cells.join(' | ')} |`);
  }
  for (const key of TRAFFIC_CONTENDERS) {
    const served = [...(last[key]?.served ?? [])].map(([how, n]) => `${n} ${how}`);
    if (served.length > 0) lines.push(`\n${name(key)} answered ${served.join(', ')}.`);
  }
  const clean = TRAFFIC_CONTENDERS.filter((key) => tallies[key].every((t) => t.forbidden === 0));
  const medianBytes = (/** @type {string} */ key) =>
    percentile(
      tallies[key].map((t) => t.bytes),
      0.5,
    );
  const least = Math.min(...clean.map(medianBytes));
  // Within 1% is a tie: a few requests land either side of a lifetime's end from run to run.
  const best = clean
    .filter((key) => medianBytes(key) <= least * 1.01)
    .map((key) => `${name(key)} (${(medianBytes(key) / 1000).toFixed(0)} KB)`);
  const forbidding = TRAFFIC_CONTENDERS.filter((key) => !clean.includes(key)).map(name);
  lines.push(
    best.length === 0
      ? '\nNo contender served the session without a forbidden answer.'
      : `\nFewest origin bytes with no forbidden answer (within 1%): ${best.join(', ')}; ` +
          `with forbidden answers: ${forbidding.join(', ') || 'none'}`,
  );
  return lines;
}
