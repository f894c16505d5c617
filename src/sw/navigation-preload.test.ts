/**
 * Navigation preload in the fetch flow: the preload's response stands for the flow's first
 * request to the origin (a miss, or a revalidation, which it answers in full), and is stored like
 * any other; without one, or for a fresh hit, the flow works as usual.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { FetchFlow } from './fetch-flow.ts';
import { testFlowDeps } from './testing/test-flow.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';

const ORIGIN = 'https://app.test';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
let flow: FetchFlow;

function page(body: string, headers: Record<string, string>, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html', date: formatHttpDate(clock.now), ...headers },
  });
}

async function navigate(preload?: Promise<Response | undefined>) {
  const response = await flow.handle(new Request(`${ORIGIN}/doc`), background.waitUntil, {
    preload,
  });
  const text = response.type === 'error' ? '' : await response.text();
  await background.settle();
  return {
    response,
    text,
    status: response.type === 'error' ? undefined : cacheStatusOf(response),
  };
}

beforeEach(() => {
  origin = new FakeOrigin();
  clock = new ManualClock(T0);
  background = new Background();
  flow = new FetchFlow(
    testFlowDeps({
      base: ORIGIN,
      options: {},
      storage: new MemoryStorage(),
      fetch: origin.fetch,
      now: clock.read,
      clear: () => Promise.resolve(),
    }),
  );
});

describe('navigation preload', () => {
  it('answers a miss without a request of its own, and is stored', async () => {
    origin.route('/doc', () => page('from the worker', { 'cache-control': 'max-age=60' }));
    const miss = await navigate(
      Promise.resolve(page('preloaded', { 'cache-control': 'max-age=60' })),
    );
    expect(miss.text).toBe('preloaded');
    expect(miss.status).toMatchObject({ fwd: 'uri-miss', stored: true });
    expect(origin.requests).toHaveLength(0);
    const hit = await navigate();
    expect(hit.text).toBe('preloaded');
    expect(hit.status).toMatchObject({ hit: true });
  });

  it('stands for the conditional request of a revalidation and replaces the stored page', async () => {
    let version = 1;
    origin.route('/doc', (request) =>
      request.headers.get('if-none-match') === `"v${version}"`
        ? new Response(null, { status: 304, headers: { etag: `"v${version}"` } })
        : page(`v${version}`, { 'cache-control': 'no-cache', etag: `"v${version}"` }),
    );
    await navigate(); // stores v1
    version = 2;
    const preloaded = page('v2', { 'cache-control': 'no-cache', etag: '"v2"' });
    const revalidated = await navigate(Promise.resolve(preloaded));
    expect(revalidated.text).toBe('v2');
    expect(revalidated.status).toMatchObject({ fwd: 'stale', 'fwd-status': '200', stored: true });
    expect(origin.requests).toHaveLength(1); // only the first navigation's
    // The stored page is v2 now: the next revalidation sends its ETag and gets a 304.
    const next = await navigate();
    expect(next.text).toBe('v2');
    expect(next.status).toMatchObject({ fwd: 'stale', 'fwd-status': '304' });
    expect(origin.requests.at(-1)?.headers.get('if-none-match')).toBe('"v2"');
  });

  it('is not waited for by a fresh hit', async () => {
    origin.route('/doc', () => page('stored', { 'cache-control': 'max-age=60' }));
    await navigate();
    const never = new Promise<Response | undefined>(() => {});
    const hit = await navigate(never);
    expect(hit.text).toBe('stored');
    expect(hit.status).toMatchObject({ hit: true });
  });

  it('falls back to a request of its own when the browser sent no preload', async () => {
    origin.route('/doc', () => page('fetched', { 'cache-control': 'max-age=60' }));
    const miss = await navigate(Promise.resolve(undefined));
    expect(miss.text).toBe('fetched');
    expect(origin.requests).toHaveLength(1);
  });

  it('a failed preload is an unreachable origin: stale-if-error where allowed, else a network error', async () => {
    origin.route('/doc', () =>
      page('stored', { 'cache-control': 'max-age=0, stale-if-error=600', etag: '"s"' }),
    );
    await navigate();
    clock.advance(1_000);
    const stale = await navigate(Promise.reject(new TypeError('offline')));
    expect(stale.text).toBe('stored');
    expect(stale.status).toMatchObject({ fwd: 'stale', detail: 'stale-if-error' });
    expect(origin.requests).toHaveLength(1);

    const missing = await flow.handle(new Request(`${ORIGIN}/other`), background.waitUntil, {
      preload: Promise.reject(new TypeError('offline')),
    });
    expect(missing.type).toBe('error');
  });
});
