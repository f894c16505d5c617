import { describe, expect, it } from 'vitest';
import { LockStatus } from './lock.ts';
import { RemoteWakeHolds } from './remote-wake-holds.ts';

describe('RemoteWakeHolds', () => {
  it('has nothing for a key that is not held', () => {
    expect(new RemoteWakeHolds().ended('h')).toBeUndefined();
  });

  it('tells how a held write ended, then forgets the key', async () => {
    const holds = new RemoteWakeHolds();
    const end = holds.hold('h');
    const ended = holds.ended('h');
    expect(holds.ended('other')).toBeUndefined();
    end(LockStatus.TransientError);
    end(LockStatus.Done); // later calls do nothing
    expect(await ended).toBe(LockStatus.TransientError);
    expect(holds.ended('h')).toBeUndefined();
  });

  it('keeps a newer hold of the key when an older one ends', async () => {
    const holds = new RemoteWakeHolds();
    const endOld = holds.hold('h');
    const endNew = holds.hold('h');
    const newer = holds.ended('h');
    endOld(LockStatus.Done);
    expect(holds.ended('h')).toBe(newer);
    endNew(LockStatus.Done);
    expect(await newer).toBe(LockStatus.Done);
    expect(holds.ended('h')).toBeUndefined();
  });
});
