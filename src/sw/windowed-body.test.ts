import { describe, expect, it } from 'vitest';
import type { ByteSpan } from '../core/byte-spans.ts';
import { pulledStream } from './testing/pulled-stream.ts';
import { firstWindow, windowedBody, type WindowedBody } from './windowed-body.ts';

/** Byte i of the representation is i (mod 256). */
const bytes = (start: number, end: number) =>
  Uint8Array.from({ length: end - start }, (_, i) => (start + i) % 256);

/** A body of `[start, end)` in chunks of 3 bytes. */
function bodyOf(start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  return pulledStream(() => {
    if (at >= end) return undefined;
    const chunk = bytes(at, Math.min(end, at + 3));
    at += 3;
    return chunk;
  });
}

/** Reads `reader` to its end, each chunk into `into` (so a test sees what came before an error). */
async function readInto(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  into: number[] = [],
): Promise<number[]> {
  for (let r = await reader.read(); !r.done; r = await reader.read()) into.push(...r.value);
  return into;
}

const readAll = (stream: ReadableStream<Uint8Array>) => readInto(stream.getReader());

/** `[0, end)` in windows of 10 bytes: the first is `first`, the next ones come from `fetchWindow`. */
function windowsOf(
  end: number,
  fetchWindow: (window: ByteSpan) => Promise<ReadableStream<Uint8Array>>,
  first = bodyOf(0, 10),
): WindowedBody {
  return windowedBody(first, 10, { start: 0, end }, fetchWindow, 10);
}

/** `windowsOf` with every window it asks for served whole, and noted in `asked`. */
function servedWindows(end: number): { body: WindowedBody; asked: ByteSpan[] } {
  const asked: ByteSpan[] = [];
  const body = windowsOf(end, (w) => {
    asked.push(w);
    return Promise.resolve(bodyOf(w.start, w.end));
  });
  return { body, asked };
}

const notAsked = () => {
  throw new Error('not asked');
};

describe('firstWindow', () => {
  it('bounds an open or long span to one window, and leaves a short one', () => {
    expect(firstWindow({ start: 5, end: Infinity }, 10)).toEqual({ start: 5, end: 15 });
    expect(firstWindow({ start: 5, end: 9 }, 10)).toEqual({ start: 5, end: 9 });
  });
});

describe('windowedBody', () => {
  it('reads the span window after window, asking each one ahead', async () => {
    const { body, asked } = servedWindows(25);
    expect(await readAll(body.stream)).toEqual([...bytes(0, 25)]);
    expect(asked).toEqual([
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ]);
  });

  it('asks the next window once half of the current one is read, before it ends', async () => {
    const { body, asked } = servedWindows(25);
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
    const { body, asked } = servedWindows(35);
    const reader = body.stream.getReader();
    await reader.read();
    await reader.read();
    body.stopAfterWindow();
    expect(await readInto(reader)).toEqual([...bytes(6, 20)]);
    expect(asked).toEqual([{ start: 10, end: 20 }]);
  });

  it('a cancelled body cancels the window asked ahead', async () => {
    let aheadCancelled = false;
    const body = windowsOf(25, () =>
      Promise.resolve(
        new ReadableStream<Uint8Array>({
          cancel: () => {
            aheadCancelled = true;
          },
        }),
      ),
    );
    const reader = body.stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel('gone');
    expect(aheadCancelled).toBe(true);
  });

  it('a refused window asked ahead errors the body once the window before is read whole', async () => {
    const body = windowsOf(25, () => Promise.reject(new Error('another representation')));
    const read: number[] = [];
    await expect(readInto(body.stream.getReader(), read)).rejects.toThrow(/another representation/);
    expect(read).toEqual([...bytes(0, 10)]);
  });

  it('after stopAfterWindow, ends with the window being read and asks for no other', async () => {
    const { body, asked } = servedWindows(25);
    const reader = body.stream.getReader();
    await reader.read();
    body.stopAfterWindow();
    expect(await readInto(reader)).toEqual([...bytes(3, 10)]);
    expect(asked).toEqual([]);
  });

  it('errors when a window ends short or brings more than asked, or the next one is refused', async () => {
    const short = windowsOf(20, notAsked, bodyOf(0, 7));
    await expect(readAll(short.stream)).rejects.toThrow(/ended before its last byte/);
    const long = windowsOf(20, notAsked, bodyOf(0, 13));
    await expect(readAll(long.stream)).rejects.toThrow(/more bytes than asked/);
    const refused = windowsOf(20, () => Promise.reject(new Error('another representation')));
    await expect(readAll(refused.stream)).rejects.toThrow(/another representation/);
  });
});
