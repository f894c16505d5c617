/**
 * A storage whose purges wait until the test releases them: what runs after a purge started,
 * and what waits for it, can be told apart.
 */
import { expect } from 'vitest';
import type { Storage } from '../../core/storage.ts';

export interface HeldPurges {
  /** `"<type> <primary key>"` of every purge asked, in order, held or not. */
  readonly purged: string[];
  /** Resolves when the first purge is asked. */
  readonly asked: Promise<void>;
  /** Lets every purge asked (and to come) go on. */
  readonly release: () => void;
}

/** Makes `storage`'s purges wait for `release()` (it patches the instance). */
export function holdPurges(storage: Storage): HeldPurges {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let ask!: () => void;
  const asked = new Promise<void>((resolve) => (ask = resolve));
  const purged: string[] = [];
  const purge = storage.purge.bind(storage);
  storage.purge = async (key, type) => {
    purged.push(`${type} ${key.primary}`);
    ask();
    await held;
    return purge(key, type);
  };
  return { purged, asked, release };
}

/**
 * Checks that the worker is kept alive for a held purge: `settle` (all the event's `waitUntil`
 * promises) is still pending while the purge is held, then settles once it is released.
 */
export async function expectKeptAliveForPurge(
  held: Pick<HeldPurges, 'release'>,
  settle: () => Promise<unknown>,
): Promise<void> {
  let settled = false;
  const settling = settle().then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(settled).toBe(false);
  held.release();
  await settling;
}
