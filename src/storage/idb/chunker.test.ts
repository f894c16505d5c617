import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_SIZE, Rechunker } from './chunker.ts';
import { bytes } from '../testing/support.ts';

describe('Rechunker', () => {
  it('cuts any input into chunks of exactly the chunk size, and a shorter last one', () => {
    const rechunker = new Rechunker(4);
    const input = bytes(11);
    const out = [
      ...rechunker.push(input.subarray(0, 3)),
      ...rechunker.push(input.subarray(3, 9)),
      ...rechunker.push(input.subarray(9)),
    ];
    expect(out.map((c) => c.byteLength)).toEqual([4, 4]);
    expect(rechunker.buffered).toBe(3);
    const last = rechunker.flush();
    expect(last).toEqual(input.subarray(8));
    expect(Uint8Array.from([...out.flatMap((c) => [...c]), ...(last ?? [])])).toEqual(input);
    expect(rechunker.flush()).toBeNull();
  });

  it('returns chunks the caller owns (later input does not change them)', () => {
    const rechunker = new Rechunker(2);
    const [first] = rechunker.push(Uint8Array.of(1, 2));
    rechunker.push(Uint8Array.of(3, 4));
    expect(first).toEqual(Uint8Array.of(1, 2));
  });

  it('defaults to 256 KiB (the measured choice) and rejects a bad size', () => {
    expect(new Rechunker().chunkSize).toBe(DEFAULT_CHUNK_SIZE);
    expect(DEFAULT_CHUNK_SIZE).toBe(262144);
    expect(() => new Rechunker(0)).toThrow(RangeError);
  });
});
