/**
 * Requests with `Authorization` (README "Credentials", `cacheAuthorized` in config.ts): the
 * demo worker cannot set the option, so both settings are checked here through the fetch flow.
 * The e2e side is in e2e/reliability-security-credentials.spec.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import type { HttpCacheOptions } from './config.ts';
import type { FetchFlow } from './fetch-flow.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { testFlow } from './testing/test-flow.ts';

const ORIGIN = 'https://app.test';
const ALICE = { authorization: 'Bearer alice' };

let origin: FakeOrigin;
let clock: ManualClock;
let storage: MemoryStorage;

beforeEach(() => {
  origin = new FakeOrigin();
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  storage = new MemoryStorage();
  origin.route('/me', (request, n) => {
    const user = request.headers.get('authorization') ?? 'anonymous';
    return new Response(`${user} #${n}`, {
      headers: { date: formatHttpDate(clock.now), 'cache-control': 'max-age=60' },
    });
  });
});

function flow(options: HttpCacheOptions): FetchFlow {
  return testFlow({ base: ORIGIN, options, storage, fetch: origin.fetch, now: clock.read });
}

async function get(f: FetchFlow, headers: Record<string, string> = {}) {
  const background = new Background();
  const response = await f.handle(new Request(`${ORIGIN}/me`, { headers }), background.waitUntil);
  const text = await response.text();
  await background.settle();
  return { text, status: cacheStatusOf(response) };
}

describe('Authorization (RFC 9111 §3.5)', () => {
  it('is not stored by default: every authorized request reaches the origin', async () => {
    const f = flow({});
    const first = await get(f, ALICE);
    expect(first.status).toMatchObject({ detail: 'authorization' });
    expect((await get(f, ALICE)).text).toBe('Bearer alice #2');
    expect(await storage.lookup({ namespace: '', primary: `${ORIGIN}/me` })).toBeNull();
    // A request without credentials is never answered with an authorized response.
    expect((await get(f)).text).toBe('anonymous #3');
  });

  it('is stored with cacheAuthorized, and then reused for the URL like any stored response', async () => {
    const f = flow({ cacheAuthorized: true });
    expect((await get(f, ALICE)).status.stored).toBe(true);
    const again = await get(f, ALICE);
    expect([again.text, again.status.hit]).toEqual(['Bearer alice #1', true]);
    // The key is the URL: without `Vary: Authorization` from the origin, a later request without
    // credentials gets the same stored response (one browser profile; call clear() on logout).
    expect((await get(f)).text).toBe('Bearer alice #1');
    expect(origin.count('/me')).toBe(1);
  });

  it('keeps users apart with cacheAuthorized when the origin says Vary: Authorization', async () => {
    origin.route('/me', (request, n) => {
      const user = request.headers.get('authorization') ?? 'anonymous';
      return new Response(`${user} #${n}`, {
        headers: {
          date: formatHttpDate(clock.now),
          'cache-control': 'max-age=60',
          vary: 'Authorization',
        },
      });
    });
    const f = flow({ cacheAuthorized: true });
    const users = [ALICE, { authorization: 'Bearer bob' }, {}];
    for (const headers of users) await get(f, headers);
    const texts = [];
    for (const headers of users) texts.push((await get(f, headers)).text);
    expect(texts).toEqual(['Bearer alice #1', 'Bearer bob #2', 'anonymous #3']);
    expect(origin.count('/me')).toBe(3);
  });
});
