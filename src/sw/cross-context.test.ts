import { afterEach, describe, expect, it, vi } from 'vitest';
import { CrossContextLock } from '../lock/index.ts';
import { FakeLockManager } from '../lock/testing/fake-lock-manager.ts';
import { crossContext } from './cross-context.ts';
import { featureParts } from './features.ts';

/** The feature's parts for one cache, on the platform the test stubbed. */
function connect() {
  const parts = featureParts([crossContext()]).crossContext!;
  return parts.connect({ name: 'test', log: () => undefined });
}

afterEach(() => vi.unstubAllGlobals());

describe('crossContext()', () => {
  it('shares its holds between the storage and the cross-context lock', () => {
    vi.stubGlobal('navigator', { locks: new FakeLockManager().context() });
    const { idb, lock } = connect();
    expect(lock).toBeInstanceOf(CrossContextLock);
    expect(idb.locks).toBeDefined();
    expect(idb.remoteWakeHolds).toBeDefined();
    (lock as CrossContextLock).close();
  });

  it('gives the storage no holds when the lock cannot read them (no BroadcastChannel)', () => {
    vi.stubGlobal('navigator', { locks: new FakeLockManager().context() });
    vi.stubGlobal('BroadcastChannel', undefined);
    const { idb, lock } = connect();
    expect(lock).not.toBeInstanceOf(CrossContextLock);
    expect(idb.locks).toBeDefined(); // its writes are still registered for others to follow
    expect(idb.remoteWakeHolds).toBeUndefined();
  });
});
