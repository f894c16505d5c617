/**
 * Random call sequences on HttpCache against the fakes: the phase table of http-cache.test.ts,
 * checked on every call of thousands of sequences instead of once per (operation, phase) pair.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { HttpCache } from './http-cache.ts';
import type { CacheKey } from './key.ts';
import type { WritePermit } from './lock.ts';
import { LockStatus } from './lock.ts';
import type { CachePhaseName, NoCacheReason as Reason } from './phase.ts';
import { HitStatus, NoCacheReason, PhaseError } from './phase.ts';
import * as allowed from './phase-sets.ts';
import { checkProperty, PROPERTY_TIMEOUT_MS } from './testing/arbitraries.ts';
import {
  FakeStorage,
  ManualClock,
  RecordingCacheLock,
  testKey,
  testMeta,
} from './testing/fakes.ts';

const KEYS: CacheKey[] = [
  testKey(),
  testKey('https://example.test/a', 'v1'),
  testKey('https://example.test/b'),
];
const ALL: readonly CachePhaseName[] = ['disabled', ...allowed.ENABLED];

interface World {
  readonly cache: HttpCache;
  readonly storage: FakeStorage;
  readonly lock: RecordingCacheLock;
  /** Permits handed out by takeWriteLock(): the receiver's to release. */
  readonly handedOver: WritePermit[];
}

interface Operation {
  readonly name: string;
  readonly allowed: readonly CachePhaseName[];
  readonly run: (world: World) => unknown;
  /** The phase after a successful call; unchanged when absent. */
  readonly next?: (from: CachePhaseName) => CachePhaseName;
}

const key = fc.constantFrom(...KEYS);
const status = fc.constantFrom(HitStatus.Fresh, HitStatus.Expired, HitStatus.ForceExpired);
const reason = fc.constantFrom<Reason>(
  NoCacheReason.InternalError,
  NoCacheReason.StorageError,
  NoCacheReason.OriginNotCache,
  NoCacheReason.ResponseTooLarge,
  NoCacheReason.Deferred,
  NoCacheReason.CacheLockTimeout,
  'Custom:x',
);

/**
 * One row of the table below: `next` is the phase after a successful call, or how it follows from
 * the phase before (unchanged without).
 */
const row = (
  name: string,
  allowed: readonly CachePhaseName[],
  run: Operation['run'],
  next?: CachePhaseName | Operation['next'],
): Operation => ({ name, allowed, run, next: typeof next === 'string' ? () => next : next });

/** A row whose call takes no random argument. */
const call = (...args: Parameters<typeof row>) => fc.constant(row(...args));

/** Every operation with random arguments, and the phases that allow it (phase-sets.ts). */
const operation: fc.Arbitrary<Operation> = fc.oneof(
  call(
    'enable',
    ['disabled'],
    (w) => w.cache.enable({ storage: w.storage, lock: w.lock, clock: new ManualClock().read }),
    'uninitialized',
  ),
  reason.map((r) => row('disable', ALL, (w) => w.cache.disable(r), 'disabled')),
  call('bypass', ['key'], (w) => w.cache.bypass(), 'bypass'),
  key.map((k) =>
    row('setCacheKey', ['uninitialized', 'key'], (w) => w.cache.setCacheKey(k), 'key'),
  ),
  call('cacheKey', allowed.KEYED, (w) => w.cache.cacheKey()),
  call('setMaxFileSizeBytes', allowed.ENABLED, (w) => w.cache.setMaxFileSizeBytes(4)),
  call('setValidAfter', ['uninitialized', 'key'], (w) => w.cache.setValidAfter(500)),
  fc.tuple(fc.boolean(), key).map(([store, k]) =>
    row('cacheLookup', ['key', 'stale'], (w) => {
      if (store) w.storage.put(k, testMeta());
      return w.cache.cacheLookup();
    }),
  ),
  fc.tuple(status, key).map(([s, k]) =>
    row(
      'cacheFound',
      ['key', 'stale'],
      async (w) => {
        w.storage.put(k, testMeta());
        const found = await w.storage.lookup(k);
        return w.cache.cacheFound(found!.meta, found!.hit, s);
      },
      s === HitStatus.Fresh ? 'hit' : 'stale',
    ),
  ),
  call('cacheMiss', ['key', 'bypass', 'stale'], (w) => w.cache.cacheMiss(), 'miss'),
  call('hitHandler', allowed.WITH_HIT, (w) => w.cache.hitHandler()),
  call('finishHitHandler', [...allowed.WITH_HIT, ...allowed.ADMITTING], (w) =>
    w.cache.finishHitHandler(),
  ),
  call('setMissHandler', allowed.ADMITTING, (w) => w.cache.setMissHandler()),
  call('finishMissHandler', allowed.ADMITTING, (w) => w.cache.finishMissHandler()),
  call(
    'setCacheMeta',
    ['stale', 'miss'],
    (w) => w.cache.setCacheMeta(testMeta()),
    (from) => (from === 'stale' ? 'expired' : from),
  ),
  call(
    'revalidateCacheMeta',
    ['stale'],
    (w) => w.cache.revalidateCacheMeta(testMeta()),
    'revalidated',
  ),
  reason.map((r) =>
    row(
      'revalidateUncacheable',
      ['stale'],
      (w) => w.cache.revalidateUncacheable([], r),
      'revalidated-nocache',
    ),
  ),
  call('setStaleUpdating', ['stale'], (w) => w.cache.setStaleUpdating(), 'stale-updating'),
  fc
    .constantFrom('v1', 'v2', undefined)
    .map((v) => row('updateVariance', allowed.ADMITTING, (w) => w.cache.updateVariance(v))),
  call('cacheMeta', allowed.WITH_META, (w) => w.cache.cacheMeta()),
  fc
    .constantFrom('v1', 'v2')
    .map((v) =>
      row('cacheVaryLookup', ['key'], (w) =>
        w.cache.cacheVaryLookup(v, testMeta({ variance: 'v1' })),
      ),
    ),
  call('takeWriteLock', allowed.ENABLED, (w) => w.handedOver.push(w.cache.takeWriteLock())),
  // Gives back a handed-over permit, or adopts an unrelated one (which nothing tracks). The
  // permit leaves `handedOver` only once the cache took it (a refused call gives nothing back).
  call('setWriteLock', allowed.ENABLED, (w) => {
    const permit = w.handedOver.at(-1) ?? { kind: 'write', release: () => undefined };
    w.cache.setWriteLock(permit);
    if (permit === w.handedOver.at(-1)) w.handedOver.pop();
  }),
  call('purge', ['key'], (w) => w.cache.purge()),
  call('cacheablePrediction', allowed.KEYED, (w) => w.cache.cacheablePrediction()),
  call('canServeStaleError', ALL, (w) => w.cache.canServeStaleError()),
);

/** Settles `value` if it does within a few turns of the event loop; `pending` otherwise. */
async function settle(value: unknown): Promise<{ error?: unknown; pending?: true }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ pending: true }>((resolve) => {
    timer = setTimeout(() => resolve({ pending: true }), 0);
  });
  try {
    return await Promise.race([Promise.resolve(value).then(() => ({})), late]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one operation and checks the phase rules; returns the phase now. */
async function step(world: World, op: Operation, streaming: boolean): Promise<void> {
  const from = world.cache.phase().name;
  let result: unknown;
  let error: unknown;
  try {
    result = op.run(world);
  } catch (thrown) {
    error = thrown;
  }
  if (error === undefined) {
    const settled = await settle(result);
    error = settled.error;
  }
  const now = world.cache.phase().name;
  const context = `${op.name}() in "${from}" (streaming ${streaming})`;
  if (!op.allowed.includes(from)) {
    assert.ok(
      error instanceof PhaseError,
      `${context}: expected a PhaseError, got ${fc.stringify(error)}`,
    );
    assert.ok(
      error.message.includes(`"${from}"`) && error.message.includes(`${op.name}()`),
      error.message,
    );
    assert.equal(now, from, `${context}: a refused call changed the phase`);
    return;
  }
  assert.ok(!(error instanceof PhaseError), `${context}: unexpected ${fc.stringify(error)}`);
  const expected = op.next?.(from) ?? from;
  // A usage error (no lock, no meta, a writer-only reason) may stop before or after the change.
  if (error === undefined) assert.equal(now, expected, context);
  else
    assert.ok(
      now === from || now === expected,
      `${context}: phase ${now} after ${fc.stringify(error)}`,
    );
}

describe('HttpCache (properties)', () => {
  it(
    'allowed calls never throw PhaseError, refused ones always do, and no permit outlives disable()',
    async () => {
      const seen = new Set<CachePhaseName>();
      await checkProperty(
        fc.asyncProperty(
          fc.array(operation, { maxLength: 40 }),
          fc.boolean(),
          fc.boolean(),
          async (operations, streaming, keyed) => {
            const world: World = {
              cache: new HttpCache(),
              storage: new FakeStorage({ streaming }),
              lock: new RecordingCacheLock(),
              handedOver: [],
            };
            // Most sequences start enabled and keyed, so they reach the later phases.
            if (keyed) {
              world.cache.enable({ storage: world.storage, lock: world.lock });
              world.cache.setCacheKey(KEYS[0]!);
            }
            for (const op of operations) await step(world, op, streaming);
            seen.add(world.cache.phase().name);
            world.cache.disable(NoCacheReason.InternalError);
            // The receivers of handed-over permits release them (a background revalidation).
            for (const permit of world.handedOver) permit.release(LockStatus.Done);
            await settle(undefined);
            for (const k of KEYS) {
              assert.equal(
                world.lock.isHeld(k),
                false,
                `lock on ${k.primary} ${k.variance ?? ''} left held`,
              );
            }
          },
        ),
        2_000,
      );
      // The sequences reached every phase (the property is not vacuous).
      assert.deepEqual([...seen].sort(), [...ALL].sort());
    },
    PROPERTY_TIMEOUT_MS,
  );
});
