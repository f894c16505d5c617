/**
 * A write that lands in one transaction is not registered for other contexts to follow: its key
 * is held in the lock's `RemoteWakeHolds` until the write ended (see `IdbMissHandler.register`).
 */
import { describe, expect, it } from 'vitest';
import { variantHash } from '../../core/key.ts';
import type { HeaderList } from '../../core/meta.ts';
import { LockStatus } from '../../core/lock.ts';
import { RemoteWakeHolds } from '../../core/remote-wake-holds.ts';
import { readAll } from '../../core/storage.ts';
import { twoContexts } from '../testing/contexts.ts';
import { bytes, isPending, keyOf, metaOf } from '../testing/support.ts';

const CHUNK = 16;

/** Contexts `a` (holding its one-transaction writes in `holds`) and `b` on one database. */
function contexts() {
  const holds = new RemoteWakeHolds();
  const found = twoContexts({
    a: { chunkSize: CHUNK, remoteWakeHolds: holds },
    b: { chunkSize: CHUNK },
  });
  return { ...found, holds };
}

describe('IdbStorage: a write that lands in one transaction', () => {
  it('is held until it is stored, not registered', async () => {
    const { a, b, locks, holds } = contexts();
    const key = keyOf('/small');
    const miss = await a.getMissHandler(key, metaOf(200, [['content-length', '10']]));
    expect(locks.count).toBe(0); // no writer lock
    expect(await b.lookup(key)).toBeNull(); // nothing to follow
    const ended = holds.ended(variantHash(key))!;
    await miss.write(bytes(10));
    expect(await isPending(ended)).toBe(true);
    await miss.finish();
    expect(await ended).toBe(LockStatus.Done);
    expect(await readAll((await b.lookup(key))!.hit)).toEqual(bytes(10));
  });

  it('ends the hold as TransientError when aborted, leaving nothing', async () => {
    const { a, b, holds } = contexts();
    const key = keyOf('/aborted');
    const miss = await a.getMissHandler(key, metaOf(200, [['content-length', '10']]));
    const ended = holds.ended(variantHash(key))!;
    await miss.write(bytes(5));
    await miss.abort();
    expect(await ended).toBe(LockStatus.TransientError);
    expect(await b.lookup(key)).toBeNull();
  });

  it('stores a body longer than it declared whole all the same', async () => {
    const { a, b, holds } = contexts();
    const key = keyOf('/longer');
    const miss = await a.getMissHandler(key, metaOf(200, [['content-length', '10']]));
    const ended = holds.ended(variantHash(key))!;
    await miss.write(bytes(3 * CHUNK + 2)); // three chunks stored before the finish
    expect(await isPending(ended)).toBe(true);
    await miss.finish();
    expect(await ended).toBe(LockStatus.Done);
    expect(await readAll((await b.lookup(key))!.hit)).toEqual(bytes(3 * CHUNK + 2));
  });
});

describe('IdbStorage: a write other contexts follow', () => {
  it.each<[string, HeaderList]>([
    ['no Content-Length', []],
    ['a Content-Length of one chunk', [['content-length', String(CHUNK)]]],
    ['a malformed Content-Length', [['content-length', '1e1']]],
    [
      'a content coding (the stored body is the decoded one)',
      [
        ['content-length', '10'],
        ['content-encoding', 'gzip'],
      ],
    ],
  ])('is registered with %s', async (_, headers) => {
    const { a, b, locks, holds } = contexts();
    const key = keyOf('/followed');
    const miss = await a.getMissHandler(key, metaOf(203, headers));
    expect(locks.count).toBe(1); // its writer lock
    expect(holds.ended(variantHash(key))).toBeUndefined();
    const found = await b.lookup(key);
    expect(found?.meta.status).toBe(203); // followable from before its first chunk
    await found!.hit.finish();
    await miss.abort();
  });

  it('is registered, however small, when no holds are given', async () => {
    const { a, b, locks } = twoContexts();
    const key = keyOf('/no-holds');
    const miss = await a.getMissHandler(key, metaOf(203, [['content-length', '3']]));
    expect(locks.count).toBe(1);
    const found = await b.lookup(key);
    expect(found?.meta.status).toBe(203);
    await found!.hit.finish();
    await miss.abort();
  });
});
