import { describe, expect, it } from 'vitest';
import type { ByteSpan } from '../core/byte-spans.ts';
import { firstWindow, windowedBody } from './windowed-body.ts';

/** Byte i of the representation is i (mod 256). */
const bytes = (start: number, end: number) =>
  Uint8Array.from({ length: end - start }, (_, i) => (start + i) % 256);

/** A body of `[start, end)` in chunks of 3 bytes. */
function bodyOf(start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  return new ReadableStream(
    {
      pull(controller) {
        if (at >= end) return controller.close();
        controller.enqueue(bytes(at, Math.min(end, at + 3)));
        at += 3;
      },
    },
    { highWaterMark: 0 },
  );
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of stream) out.push(...chunk);
  return out;
}

describe('firstWindow', () => {
  it('bounds an open or long span to one window, and leaves a short one', () => {
    expect(firstWindow({ start: 5, end: Infinity }, 10)).toEqual({ start: 5, end: 15 });
    expect(firstWindow({ start: 5, end: 9 }, 10)).toEqual({ start: 5, end: 9 });
  });
});

describe('windowedBody', () => {
  it('reads the span window after window, asking each one when the one before is read', async () => {
    const asked: ByteSpan[] = [];
    const body = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 25 },
      (w) => {
        asked.push(w);
        return Promise.resolve(bodyOf(w.start, w.end));
      },
      10,
    );
    expect(await readAll(body.stream)).toEqual([...bytes(0, 25)]);
    expect(asked).toEqual([
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ]);
  });

  it('after stopAfterWindow, ends with the window being read and asks for no other', async () => {
    const asked: ByteSpan[] = [];
    const body = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 25 },
      (w) => {
        asked.push(w);
        return Promise.resolve(bodyOf(w.start, w.end));
      },
      10,
    );
    const reader = body.stream.getReader();
    await reader.read();
    body.stopAfterWindow();
    const rest: number[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(...r.value);
    expect(rest).toEqual([...bytes(3, 10)]);
    expect(asked).toEqual([]);
  });

  it('errors when a window ends short or brings more than asked, or the next one is refused', async () => {
    const short = windowedBody(
      bodyOf(0, 7),
      10,
      { start: 0, end: 20 },
      () => {
        throw new Error('not asked');
      },
      10,
    );
    await expect(readAll(short.stream)).rejects.toThrow(/ended before its last byte/);
    const long = windowedBody(
      bodyOf(0, 13),
      10,
      { start: 0, end: 20 },
      () => {
        throw new Error('not asked');
      },
      10,
    );
    await expect(readAll(long.stream)).rejects.toThrow(/more bytes than asked/);
    const refused = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 20 },
      () => Promise.reject(new Error('another representation')),
      10,
    );
    await expect(readAll(refused.stream)).rejects.toThrow(/another representation/);
  });
});
