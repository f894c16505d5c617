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
  it('reads the span window after window, asking each one ahead', async () => {
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

  it('asks the next window once half of the current one is read, before it ends', async () => {
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
    await reader.read(); // [0, 3)
    expect(asked).toEqual([]);
    await reader.read(); // [3, 6): past half of [0, 10)
    expect(asked).toEqual([{ start: 10, end: 20 }]);
    await reader.read(); // [6, 9)
    await reader.read(); // [9, 10)
    expect(asked).toEqual([{ start: 10, end: 20 }]);
    await reader.read(); // [10, 13)
    await reader.read(); // [13, 16): past half of [10, 20)
    expect(asked).toEqual([
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ]);
    await reader.cancel();
  });

  it('after stopAfterWindow, reads the window asked ahead to its end and asks no other', async () => {
    const asked: ByteSpan[] = [];
    const body = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 35 },
      (w) => {
        asked.push(w);
        return Promise.resolve(bodyOf(w.start, w.end));
      },
      10,
    );
    const reader = body.stream.getReader();
    await reader.read();
    await reader.read();
    body.stopAfterWindow();
    const rest: number[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(...r.value);
    expect(rest).toEqual([...bytes(6, 20)]);
    expect(asked).toEqual([{ start: 10, end: 20 }]);
  });

  it('a cancelled body cancels the window asked ahead', async () => {
    let aheadCancelled = false;
    const body = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 25 },
      () =>
        Promise.resolve(
          new ReadableStream<Uint8Array>({
            cancel: () => {
              aheadCancelled = true;
            },
          }),
        ),
      10,
    );
    const reader = body.stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel('gone');
    expect(aheadCancelled).toBe(true);
  });

  it('a refused window asked ahead errors the body once the window before is read whole', async () => {
    const body = windowedBody(
      bodyOf(0, 10),
      10,
      { start: 0, end: 25 },
      () => Promise.reject(new Error('another representation')),
      10,
    );
    const reader = body.stream.getReader();
    const read: number[] = [];
    const error = await (async () => {
      try {
        for (let r = await reader.read(); !r.done; r = await reader.read()) read.push(...r.value);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(read).toEqual([...bytes(0, 10)]);
    expect(String(error)).toMatch(/another representation/);
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
