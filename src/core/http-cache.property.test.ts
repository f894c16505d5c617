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
 * Every operation with random arguments, and the phases that allow it (phase-sets.ts). A table,
 * one row a call: the rows look alike by design (duplicates pairs them).
 */
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant<Operation>({
    name: 'enable',
    allowed: ['disabled'],
    run: (w) => w.cache.enable({ storage: w.storage, lock: w.lock, clock: new ManualClock().read }),
    next: () => 'uninitialized',
  }),
  reason.map<Operation>((r) => ({
    name: 'disable',
    allowed: ALL,
    run: (w) => w.cache.disable(r),
    next: () => 'disabled',
  })),
  fc.constant<Operation>({
    name: 'bypass',
    allowed: ['key'],
    run: (w) => w.cache.bypass(),
    next: () => 'bypass',
  }),
  key.map<Operation>((k) => ({
    name: 'setCacheKey',
    allowed: ['uninitialized', 'key'],
    run: (w) => w.cache.setCacheKey(k),
    next: () => 'key',
  })),
  fc.constant<Operation>({
    name: 'cacheKey',
    allowed: allowed.KEYED,
    run: (w) => w.cache.cacheKey(),
  }),
  fc.constant<Operation>({
    name: 'setMaxFileSizeBytes',
    allowed: allowed.ENABLED,
    run: (w) => w.cache.setMaxFileSizeBytes(4),
  }),
  fc.constant<Operation>({
    name: 'setValidAfter',
    allowed: ['uninitialized', 'key'],
    run: (w) => w.cache.setValidAfter(500),
  }),
  fc.tuple(fc.boolean(), key).map<Operation>(([store, k]) => ({
    name: 'cacheLookup',
    allowed: ['key', 'stale'],
    run: (w) => {
      if (store) w.storage.put(k, testMeta());
      return w.cache.cacheLookup();
    },
  })),
  fc.tuple(status, key).map<Operation>(([s, k]) => ({
    name: 'cacheFound',
    allowed: ['key', 'stale'],
    run: async (w) => {
      w.storage.put(k, testMeta());
      const found = await w.storage.lookup(k);
      return w.cache.cacheFound(found!.meta, found!.hit, s);
    },
    next: () => (s === HitStatus.Fresh ? 'hit' : 'stale'),
  })),
  fc.constant<Operation>({
    name: 'cacheMiss',
    allowed: ['key', 'bypass', 'stale'],
    run: (w) => w.cache.cacheMiss(),
    next: () => 'miss',
  }),
  fc.constant<Operation>({
    name: 'hitHandler',
    allowed: allowed.WITH_HIT,
    run: (w) => w.cache.hitHandler(),
  }),
  fc.constant<Operation>({
    name: 'finishHitHandler',
    allowed: [...allowed.WITH_HIT, ...allowed.ADMITTING],
    run: (w) => w.cache.finishHitHandler(),
  }),
  fc.constant<Operation>({
    name: 'setMissHandler',
    allowed: allowed.ADMITTING,
    run: (w) => w.cache.setMissHandler(),
  }),
  fc.constant<Operation>({
    name: 'finishMissHandler',
    allowed: allowed.ADMITTING,
    run: (w) => w.cache.finishMissHandler(),
  }),
  fc.constant<Operation>({
    name: 'setCacheMeta',
    allowed: ['stale', 'miss'],
    run: (w) => w.cache.setCacheMeta(testMeta()),
    next: (from) => (from === 'stale' ? 'expired' : from),
  }),
  fc.constant<Operation>({
    name: 'revalidateCacheMeta',
    allowed: ['stale'],
    run: (w) => w.cache.revalidateCacheMeta(testMeta()),
    next: () => 'revalidated',
  }),
  reason.map<Operation>((r) => ({
    name: 'revalidateUncacheable',
    allowed: ['stale'],
    run: (w) => w.cache.revalidateUncacheable([], r),
    next: () => 'revalidated-nocache',
  })),
  fc.constant<Operation>({
    name: 'setStaleUpdating',
    allowed: ['stale'],
    run: (w) => w.cache.setStaleUpdating(),
    next: () => 'stale-updating',
  }),
  fc.constantFrom('v1', 'v2', undefined).map<Operation>((v) => ({
    name: 'updateVariance',
    allowed: allowed.ADMITTING,
    run: (w) => w.cache.updateVariance(v),
  })),
  fc.constant<Operation>({
    name: 'cacheMeta',
    allowed: allowed.WITH_META,
    run: (w) => w.cache.cacheMeta(),
  }),
  fc.constantFrom('v1', 'v2').map<Operation>((v) => ({
    name: 'cacheVaryLookup',
    allowed: ['key'],
    run: (w) => w.cache.cacheVaryLookup(v, testMeta({ variance: 'v1' })),
  })),
  fc.constant<Operation>({
    name: 'takeWriteLock',
    allowed: allowed.ENABLED,
    run: (w) => w.handedOver.push(w.cache.takeWriteLock()),
  }),
  fc.constant<Operation>({
    name: 'setWriteLock',
    allowed: allowed.ENABLED,
    // Gives back a handed-over permit, or adopts an unrelated one (which nothing tracks). The
    // permit leaves `handedOver` only once the cache took it (a refused call gives nothing back).
    run: (w) => {
      const permit = w.handedOver.at(-1) ?? { kind: 'write', release: () => undefined };
      w.cache.setWriteLock(permit);
      if (permit === w.handedOver.at(-1)) w.handedOver.pop();
    },
  }),
  fc.constant<Operation>({ name: 'purge', allowed: ['key'], run: (w) => w.cache.purge() }),
  fc.constant<Operation>({
    name: 'cacheablePrediction',
    allowed: allowed.KEYED,
    run: (w) => w.cache.cacheablePrediction(),
  }),
  fc.constant<Operation>({
    name: 'canServeStaleError',
    allowed: ALL,
    run: (w) => w.cache.canServeStaleError(),
  }),
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
