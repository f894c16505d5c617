import { describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { LockStatus } from '../core/lock.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { LockTable } from '../lock/lock-table.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { testFlow } from './testing/test-flow.ts';

const ORIGIN = 'https://app.test';
const KEY_URL = `${ORIGIN}/s`;

/**
 * A worker over memory storage with a lock table that times out after `lockTimeoutMs`, and an
 * origin that serves `/s` with `cacheControl` until `goStale()`, then fails: unreachable, or
 * with a 503.
 */
function worker(
  cacheControl: string,
  lockTimeoutMs: number,
  failure: 'unreachable' | '503' = 'unreachable',
) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const origin = new FakeOrigin();
  const background = new Background();
  const lock = new LockTable({ timeoutMs: lockTimeoutMs });
  let up = true;
  origin.route('/s', () => {
    if (!up && failure === 'unreachable') throw new TypeError('Failed to fetch');
    return new Response(up ? 'stored' : 'down', {
      status: up ? 200 : 503,
      headers: { date: formatHttpDate(clock.now), 'cache-control': cacheControl },
    });
  });
  const flow = testFlow({
    base: ORIGIN,
    storage: new MemoryStorage(),
    lock,
    fetch: origin.fetch,
    now: clock.read,
  });
  return {
    lock,
    background,
    ask: () => flow.handle(new Request(KEY_URL), background.waitUntil),
    /** Takes the origin down and lets the stored entry go stale. */
    goStale: () => {
      up = false;
      clock.advance(5_000);
    },
  };
}

/**
 * A request that served its stale entry because the origin failed held the key's write lock
 * for the revalidation: it must let go, or every later request for the key waits the whole lock
 * timeout (found by e2e/reliability-faults.spec.ts: 10 s, then an uncached answer).
 */
describe('stale-if-error releases the revalidation’s write lock', () => {
  for (const failure of ['unreachable', '503'] as const) {
    it(`the origin is ${failure}: the key is free for the next request`, async () => {
      const w = worker('max-age=1, stale-if-error=60', 60_000, failure);
      const get = async () => {
        const response = await w.ask();
        const text = await response.text();
        await w.background.settle();
        return { response, text };
      };

      await get();
      w.goStale();
      const stale = await get();
      expect(stale.text).toBe('stored');
      expect(cacheStatusOf(stale.response)).toMatchObject({ detail: 'stale-if-error' });

      const next = w.lock.lockNow({ namespace: '', primary: KEY_URL });
      expect(next.kind, 'the key is not held any more').toBe('write');
      if (next.kind === 'write') next.release(LockStatus.Done);
    });
  }
});

/**
 * Stores `/s` with `cacheControl`, then takes the origin down, lets the entry go stale and holds
 * the key's write lock as a hanging revalidation would.
 */
async function staleBehindHeldLock(cacheControl: string) {
  const { lock, background, ask, goStale } = worker(cacheControl, 50);
  await (await ask()).text();
  await background.settle();
  goStale();
  const held = lock.lockNow({ namespace: '', primary: KEY_URL });
  expect(held.kind).toBe('write');
  const release = () => {
    if (held.kind === 'write') held.release(LockStatus.Done);
  };
  return { ask, release, background };
}

/**
 * A request waiting for the revalidation of its entry gives up when the lock times out and asks
 * the origin on its own; the origin is unreachable meanwhile: it gets the stale entry, not a
 * network error (found by e2e/reliability-faults.spec.ts "the origin hangs" in a busy Firefox).
 */
describe('a lock wait that times out with the origin unreachable', () => {
  for (const cacheControl of ['max-age=1, stale-if-error=60', 'max-age=1'] as const) {
    it(`serves the stale entry (${cacheControl})`, async () => {
      const { ask, release, background } = await staleBehindHeldLock(cacheControl);
      const response = await ask();
      expect(await response.text()).toBe('stored');
      expect(cacheStatusOf(response)).toMatchObject({
        fwd: 'stale',
        detail: cacheControl.includes('stale-if-error') ? 'stale-if-error' : 'origin-unreachable',
      });
      release();
      await background.settle();
    });
  }

  it('passes the network error on when the entry may not be served stale', async () => {
    const { ask, release } = await staleBehindHeldLock('max-age=1, must-revalidate');
    const answer = await ask();
    expect(answer.type, 'the network error the page would get without the worker').toBe('error');
    release();
  });
});
