import { describe, expect, it, vi } from 'vitest';
import type { HitHandler, SparseLookup } from '../core/storage.ts';
import { SparseLookAhead } from './sparse-look-ahead.ts';

function found(): { lookup: SparseLookup; finish: ReturnType<typeof vi.fn> } {
  const finish = vi.fn(() => Promise.resolve());
  const hit = { finish } as unknown as HitHandler;
  const lookup = { hit } as unknown as SparseLookup;
  return { lookup, finish };
}

describe('SparseLookAhead', () => {
  it('hands its lookup to the first taker only, and then drop leaves its reader alone', async () => {
    const { lookup, finish } = found();
    const early = new SparseLookAhead(Promise.resolve(lookup));
    expect(await early.take()).toBe(lookup);
    expect(early.take()).toBeUndefined();
    early.drop();
    await Promise.resolve();
    expect(finish).not.toHaveBeenCalled();
  });

  it('releases the reader of a lookup nobody took', async () => {
    const { lookup, finish } = found();
    const early = new SparseLookAhead(Promise.resolve(lookup));
    early.drop();
    await vi.waitFor(() => expect(finish).toHaveBeenCalledOnce());
    expect(early.take()).toBeUndefined();
  });

  it('hands a failed lookup to its taker; one nobody takes is not an unhandled rejection', async () => {
    const taken = new SparseLookAhead(Promise.reject(new Error('no database')));
    await expect(taken.take()).rejects.toThrow('no database');
    const dropped = new SparseLookAhead(Promise.reject(new Error('no database')));
    dropped.drop();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
