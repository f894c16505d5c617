/**
 * A request's own `Cache-Control: no-store` (RFC 9111 §5.2.1.5): nothing of its response is
 * stored, and the request reaches the origin once. Run with the cache lock, as in the worker:
 * the request holds the write lock when its response is refused, so the refusal must be one a
 * lock writer can give (found by e2e/reliability-security-no-store.spec.ts: it used to throw
 * there, and the fetch flow's fallback then asked the origin a second time).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { LockTable } from '../lock/index.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import type { FetchFlow } from './fetch-flow.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { testFlow } from './testing/test-flow.ts';

const ORIGIN = 'https://app.test';

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
let storage: MemoryStorage;
let flow: FetchFlow;

// The origin, clock and storage credentials.test.ts builds too; each file routes its own origin.
beforeEach(() => {
  origin = new FakeOrigin();
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  background = new Background();
  storage = new MemoryStorage();
  flow = testFlow({
    base: ORIGIN,
    storage,
    lock: new LockTable({ timeoutMs: 1_000 }),
    fetch: origin.fetch,
    now: clock.read,
  });
  origin.route('/r', (request, n) =>
    request.headers.get('if-none-match') === '"v1"'
      ? new Response(null, {
          status: 304,
          headers: { etag: '"v1"', 'cache-control': 'max-age=60' },
        })
      : new Response(`body ${n}`, {
          headers: {
            date: formatHttpDate(clock.now),
            'cache-control': 'max-age=60',
            etag: '"v1"',
          },
        }),
  );
});

/** The response and its body; the body is read before background work is awaited (storing
 * follows the page's reads). */
async function get(
  headers: Record<string, string> = {},
): Promise<{ response: Response; text: string }> {
  const response = await flow.handle(new Request(`${ORIGIN}/r`, { headers }), background.waitUntil);
  const text = await response.text();
  await background.settle();
  return { response, text };
}

const NO_STORE = { 'cache-control': 'no-store' };

describe('a request with Cache-Control: no-store', () => {
  it('reaches the origin once and stores nothing', async () => {
    const { response, text } = await get(NO_STORE);
    expect(text).toBe('body 1');
    expect(cacheStatusOf(response)).toMatchObject({ fwd: 'uri-miss', 'fwd-status': '200' });
    expect(cacheStatusOf(response).stored).toBeUndefined();
    expect(origin.count('/r')).toBe(1);
    expect(await storage.lookup({ namespace: '', primary: `${ORIGIN}/r` })).toBeNull();
  });

  it('does not make the URL uncacheable for requests without it', async () => {
    await get(NO_STORE);
    const plain = await get();
    expect(cacheStatusOf(plain.response).stored).toBe(true);
    const hit = await get();
    expect([hit.text, cacheStatusOf(hit.response).hit]).toEqual(['body 2', true]);
    expect(origin.count('/r')).toBe(2);
  });

  it('revalidates a stale entry with one request and serves the stored body', async () => {
    await get();
    clock.advance(120_000);
    const revalidated = await get(NO_STORE);
    expect(revalidated.text).toBe('body 1');
    expect(cacheStatusOf(revalidated.response)).toMatchObject({
      fwd: 'stale',
      'fwd-status': '304',
    });
    expect(origin.count('/r')).toBe(2);
  });
});
