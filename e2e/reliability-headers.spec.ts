/**
 * Generated response headers through the worker (docs/RELIABILITY.md, "Bad input"): thousands of
 * seeded header sets — Cache-Control with valid, conflicting and malformed directives, Expires,
 * Date, Age, Last-Modified, ETag, Vary, and many status codes — each served from its own URL and
 * requested three times: twice as is, then with `cache: 'no-cache'` (a reload, which only a
 * fresh `immutable` response survives without the origin). Every answer must arrive,
 * carry the status and body the origin sent, and the second one may come from the cache only when
 * RFC 9111 allows it (helpers/rfc-reuse-oracle.ts, written independently of src/core; where the
 * RFC leaves the choice open, both answers pass). src/core's own storability and freshness
 * decision is compared with the oracle too, as a cross-check.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { responseCacheability } from '../src/core/http/cacheability.ts';
import { expect, test } from './fixtures.ts';
import { apiUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { generateHeaderSet, headerSetQuery } from './helpers/header-sets.ts';
import type { HeaderSet } from './helpers/header-sets.ts';
import { RELIABILITY_SCALE, scaled } from './helpers/reliability-scale.ts';
import {
  mayReuseOnReload,
  mayServeStoredOnError,
  reuseVerdict,
} from './helpers/rfc-reuse-oracle.ts';
import type { ReuseVerdict } from './helpers/rfc-reuse-oracle.ts';
import { seededRun } from './helpers/seeded-random.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import { deterministicBody } from './server/origin.mjs';

const SETS = scaled(300, 10_000);
/** Header sets handed to one `page.evaluate`, and how many are in flight at once. */
const BATCH = 100;
const IN_FLIGHT = 6;
/** Seconds a response must stay fresh for the cross-check to call src/core's decision "fresh". */
const MARGIN = 30;

/** One answer as the page saw it. */
interface Answer {
  error?: string;
  status?: number;
  sha256?: string;
  originCount?: number;
  cacheStatus?: string | null;
  headers?: Record<string, string>;
}

/** Requests each path three times in a row (default, default, no-cache), `inFlight` paths at once. */
function runInPage(page: Page, paths: string[], inFlight: number): Promise<Answer[][]> {
  return page.evaluate(
    async ({ paths, inFlight }) => {
      const hex = (buffer: ArrayBuffer) =>
        Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
      const ask = async (path: string, cache: RequestCache): Promise<Answer> => {
        try {
          const response = await fetch(path, { cache });
          const body = await response.arrayBuffer();
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => (headers[name] = value));
          return {
            status: response.status,
            sha256: hex(await crypto.subtle.digest('SHA-256', body)),
            originCount: Number(response.headers.get('x-origin-count')),
            cacheStatus: response.headers.get('cache-status'),
            headers,
          };
        } catch (error) {
          return { error: String(error) };
        }
      };
      const answers: Answer[][] = new Array<Answer[]>(paths.length);
      let next = 0;
      const lane = async () => {
        while (next < paths.length) {
          const index = next++;
          const path = paths[index]!;
          answers[index] = [
            await ask(path, 'default'),
            await ask(path, 'default'),
            await ask(path, 'no-cache'),
          ];
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      return answers;
    },
    { paths, inFlight },
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** src/core's view of the first answer: would it serve a second request without the origin? */
function coreVerdict(originUrl: string, path: string, answer: Answer): 'reuse' | 'no-reuse' {
  const headers = new Headers(answer.headers);
  headers.delete('cache-status');
  const now = Date.now();
  const result = responseCacheability(
    { method: 'GET', url: originUrl + path, headers: new Headers() },
    { status: answer.status!, statusText: '', headers },
    { requestTime: now, responseTime: now },
  );
  if (!result.cacheable) return 'no-reuse';
  const usableUntil = Math.max(result.meta.freshUntil, result.meta.staleWhileRevalidateUntil);
  return usableUntil > now + MARGIN * 1000 ? 'reuse' : 'no-reuse';
}

function agrees(verdict: ReuseVerdict, reused: boolean): boolean {
  return verdict === 'either' || (verdict === 'expected') === reused;
}

test('generated response headers: every request answered, reuse only where RFC 9111 allows', async ({
  swPage,
  origin,
}) => {
  test.setTimeout(scaled(90_000, 40 * 60_000));
  const { seed, random } = seededRun(20_240_611);
  const started = Date.now();

  const sets: HeaderSet[] = Array.from({ length: SETS }, () => generateHeaderSet(random));
  const paths = sets.map((set, i) => apiUrl('/api/resource', headerSetQuery(set, `h${i}`)));
  const problems: string[] = [];
  const crossCheck: string[] = [];
  const verdicts: Record<ReuseVerdict, number> = { never: 0, expected: 0, either: 0 };
  let requests = 0;
  let served = 0;
  let cacheStatusHits = 0;
  let storedOnError = 0;
  let reusedOnReload = 0;
  let hopByHopHits = 0;
  let reloadsChecked = 0;

  for (let start = 0; start < sets.length; start += BATCH) {
    const batch = paths.slice(start, start + BATCH);
    const answers = await runInPage(swPage, batch, IN_FLIGHT);
    answers.forEach(([first, second, revalidated], j) => {
      const i = start + j;
      const set = sets[i]!;
      const path = paths[i]!;
      const report = (what: string) =>
        problems.push(`set ${i} ${path}: ${what} ${JSON.stringify([first, second, revalidated])}`);
      const body = set.status === 204 ? '' : sha256(deterministicBody(path, set.size));
      for (const answer of [first!, second!, revalidated!]) {
        requests++;
        if (answer.error !== undefined) return report(`network error ${answer.error}`);
        if (answer.status !== set.status) return report(`status ${answer.status}`);
        if (answer.sha256 !== (set.status === 204 ? sha256(new Uint8Array()) : body)) {
          return report('wrong body');
        }
        if (!parseCacheStatus(answer.cacheStatus).hit) continue;
        cacheStatusHits++;
        // RFC 9111 §3.1: hop-by-hop fields are neither stored nor replayed.
        const hop = ['connection', 'x-hop', 'keep-alive'].filter((name) => answer.headers?.[name]);
        if (!set.hopByHop) continue;
        hopByHopHits++;
        if (hop.length > 0) return report(`hop-by-hop ${hop.join(', ')} replayed`);
      }
      // The first answer is the origin's first response; `no-cache` always reaches the origin.
      if (first!.originCount !== 1) return report('first answer not from the origin');
      if (!(revalidated!.originCount! > Math.max(1, second!.originCount!))) {
        // A fresh immutable response is reused on reload (RFC 8246 §2); otherwise the origin
        // was asked but answered 5xx, and the stored response was served instead.
        if (mayReuseOnReload(set)) reusedOnReload++;
        else if (mayServeStoredOnError(set)) storedOnError++;
        else return report('no-cache answered from the store');
      }
      const reused = second!.originCount === 1;
      if (reused) served++;
      if (parseCacheStatus(second!.cacheStatus).hit && !reused) report('hit with a new response');
      const { verdict, why } = reuseVerdict(set);
      verdicts[verdict]++;
      if (!agrees(verdict, reused)) report(`oracle: ${verdict} (${why}), reused: ${reused}`);
      // Stored and fresh: the reload (not an immutable one) revalidated with max-age=0, as
      // browsers send on reload (issue 14).
      if (verdict === 'expected' && reused && !mayReuseOnReload(set)) {
        reloadsChecked++;
        const reload = origin.requests(path)[1]?.headers['cache-control'];
        if (reload !== 'max-age=0') report(`reload revalidated with Cache-Control ${reload}`);
      }
      if (verdict !== 'either') {
        const core = coreVerdict(origin.url, path, first!);
        if ((core === 'reuse') !== (verdict === 'expected')) {
          crossCheck.push(`set ${i} ${path}: oracle ${verdict} (${why}), src/core ${core}`);
        }
      }
    });
  }

  const originRequests = origin.count('/api/resource');
  const figures = {
    scale: RELIABILITY_SCALE,
    seed,
    sets: SETS,
    requests,
    reusedSecondRequests: served,
    noCacheServedStoredOn5xx: storedOnError,
    noCacheReusedImmutable: reusedOnReload,
    hopByHopHits,
    reloadsChecked,
    cacheStatusHits,
    originRequests,
    oracle: verdicts,
    disagreements: problems.length,
    crossCheckDifferences: crossCheck.length,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`[headers] ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'headers', description: JSON.stringify(figures) });

  expect(problems.slice(0, 10), `${problems.length} disagreements`).toEqual([]);
  expect(crossCheck.slice(0, 10), `${crossCheck.length} src/core decisions differ`).toEqual([]);
  // Every request was answered, and the run covered both sides of the oracle.
  expect(requests).toBe(3 * SETS);
  expect(verdicts.never).toBeGreaterThan(0);
  expect(verdicts.expected).toBeGreaterThan(0);
  expect(hopByHopHits, 'hits of responses with hop-by-hop fields').toBeGreaterThan(0);
  expect(reloadsChecked, 'reloads of stored fresh responses').toBeGreaterThan(0);
  // Each answer not reused (second request or reload) is one origin response (stale-while-revalidate
  // may add background ones).
  expect(originRequests).toBeGreaterThanOrEqual(3 * SETS - served - reusedOnReload);
  await expectNoWorkerFaults(swPage);
});
