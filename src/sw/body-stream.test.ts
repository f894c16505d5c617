import { describe, expect, it, vi } from 'vitest';
import type { HitHandler } from '../core/storage.ts';
import {
  BYTES_BODY_MAX,
  fanOutToStore,
  hitToBody,
  hitToStream,
  type AbortCause,
  type BodySink,
  type DrainAfterCancel,
} from './body-stream.ts';
import { pulledStream } from './testing/pulled-stream.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function sourceOf(
  chunks: string[],
  failAfter?: number,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let i = 0;
  const stream = pulledStream(() => {
    if (i === failAfter) throw new Error('upstream reset');
    const next = chunks[i++];
    return next === undefined ? undefined : enc.encode(next);
  });
  return { stream, pulled: () => i };
}

class RecordingSink implements BodySink {
  written: string[] = [];
  finished = false;
  aborted: unknown = undefined;
  cause: AbortCause | undefined;
  constructor(private readonly failOnWrite?: number) {}
  write(chunk: Uint8Array): Promise<void> {
    if (this.failOnWrite !== undefined && this.written.length === this.failOnWrite) {
      return Promise.reject(new Error('QuotaExceededError'));
    }
    this.written.push(new TextDecoder().decode(chunk));
    return Promise.resolve();
  }
  finish(): Promise<void> {
    this.finished = true;
    return Promise.resolve();
  }
  abort(reason: unknown, cause: AbortCause): Promise<void> {
    this.aborted = reason;
    this.cause = cause;
    return Promise.resolve();
  }
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('fanOutToStore', () => {
  /**
   * A download fanned out to a recording sink whose page read the first chunk ('a') and then
   * cancelled (`cancelled`); the test pushes what the origin sends after that.
   */
  async function droppedDownload(drain: DrainAfterCancel) {
    let upstreamCancelled = false;
    let push!: (chunk: string) => void;
    const upstream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => controller.enqueue(enc.encode(chunk));
        push('a');
      },
      cancel: () => void (upstreamCancelled = true),
    });
    const sink = new RecordingSink();
    const out = fanOutToStore(upstream, sink, drain);
    const reader = out.stream.getReader();
    await reader.read();
    const cancelled = reader.cancel();
    return { push, sink, out, cancelled, upstreamCancelled: () => upstreamCancelled };
  }

  it('gives the page and the store the same body', async () => {
    const sink = new RecordingSink();
    const out = fanOutToStore(sourceOf(['a', 'b', 'c']).stream, sink);
    expect(await text(out.stream)).toBe('abc');
    expect(await out.stored).toBe(true);
    expect(sink.written).toEqual(['a', 'b', 'c']);
    expect(sink.finished).toBe(true);
  });

  it('reads upstream only as fast as the page reads (no tee buffering)', async () => {
    const source = sourceOf(['1', '2', '3', '4', '5', '6']);
    const out = fanOutToStore(source.stream, new RecordingSink());
    const reader = out.stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 10));
    expect(source.pulled()).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it('keeps serving the page when the store fails, and aborts the store', async () => {
    const sink = new RecordingSink(1);
    const out = fanOutToStore(sourceOf(['a', 'b', 'c']).stream, sink);
    expect(await text(out.stream)).toBe('abc');
    expect(await out.stored).toBe(false);
    expect(sink.aborted).toBeInstanceOf(Error);
    expect(sink.cause).toBe('store');
    expect(sink.finished).toBe(false);
  });

  it('errors the page stream (never a short body) when upstream fails, and aborts the store', async () => {
    const sink = new RecordingSink();
    const out = fanOutToStore(sourceOf(['a', 'b', 'c'], 2).stream, sink);
    await expect(text(out.stream)).rejects.toThrow('upstream reset');
    expect(await out.stored).toBe(false);
    expect(sink.cause).toBe('upstream');
    expect(sink.finished).toBe(false);
  });

  it('reports an origin failure while draining after the page left as the origin’s', async () => {
    const sink = new RecordingSink();
    const out = fanOutToStore(sourceOf(['a', 'b', 'c'], 2).stream, sink);
    const reader = out.stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(await out.stored).toBe(false);
    expect(sink.cause).toBe('upstream');
  });

  it('with drainAfterCancelMs, stores what arrives in that time, then stops the download', async () => {
    vi.useFakeTimers();
    try {
      const { push, sink, out, cancelled, upstreamCancelled } = await droppedDownload({
        drainAfterCancelMs: 100,
      });
      push('b'); // already on its way: stored
      await vi.advanceTimersByTimeAsync(150); // nothing more arrives in time
      await cancelled;
      expect(await out.stored).toBe(false);
      expect(sink.written).toEqual(['a', 'b']);
      expect(sink.cause).toBe('upstream');
      expect(upstreamCancelled()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with drainIdleMs, stores while bytes keep coming, and stops when a read waits too long', async () => {
    vi.useFakeTimers();
    try {
      const { push, sink, out, cancelled, upstreamCancelled } = await droppedDownload({
        drainIdleMs: 100,
      });
      for (const chunk of ['b', 'c', 'd']) {
        await vi.advanceTimersByTimeAsync(80); // 240 ms in all, never 100 without a byte
        push(chunk);
      }
      await vi.advanceTimersByTimeAsync(150);
      await cancelled;
      expect(await out.stored).toBe(false);
      expect(sink.written).toEqual(['a', 'b', 'c', 'd']);
      expect(upstreamCancelled()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('finishes the store once when the page goes away while it finishes', async () => {
    const sink = new RecordingSink();
    let finishes = 0;
    let finished!: () => void;
    sink.finish = () => {
      finishes++;
      return new Promise<void>((resolve) => (finished = resolve));
    };
    const out = fanOutToStore(sourceOf(['a']).stream, sink);
    const reader = out.stream.getReader();
    await reader.read();
    void reader.read(); // the body's end: the store finishes, and is held there
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(finishes).toBe(1);
    const cancelled = reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 0));
    finished();
    await cancelled;
    expect(await out.stored).toBe(true);
    expect(finishes).toBe(1);
    expect(sink.aborted).toBeUndefined();
  });

  it('drains the rest of the body into the store when the page goes away', async () => {
    const sink = new RecordingSink();
    const out = fanOutToStore(sourceOf(['a', 'b', 'c']).stream, sink);
    const reader = out.stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(await out.stored).toBe(true);
    expect(sink.written.join('')).toBe('abc');
  });
});

describe('hitToStream', () => {
  function hitOf(chunks: string[], failAt?: number): HitHandler & { finished: number } {
    let i = 0;
    return {
      finished: 0,
      canSeek: false,
      size: undefined,
      source: 'test',
      seek() {},
      readBody() {
        if (i === failAt) return Promise.reject(new Error('writer failed'));
        const c = chunks[i++];
        return Promise.resolve(c === undefined ? null : enc.encode(c));
      },
      finish() {
        this.finished++;
        return Promise.resolve();
      },
    };
  }

  it('streams the hit and finishes the handler', async () => {
    const hit = hitOf(['x', 'y']);
    expect(await text(hitToStream(hit))).toBe('xy');
    expect(hit.finished).toBe(1);
  });

  it('turns a read failure into a stream error', async () => {
    const hit = hitOf(['x', 'y'], 1);
    await expect(text(hitToStream(hit))).rejects.toThrow('writer failed');
    expect(hit.finished).toBe(1);
  });
});

describe('hitToBody', () => {
  /**
   * A hit whose body is `text`, read in one chunk; `blob` as given (absent when undefined);
   * `size` unknown (a write being followed) unless given.
   */
  function hitOf(text: string, blob?: () => Promise<Blob | null>, size?: number) {
    const counts = { reads: 0, finished: 0 };
    let done = false;
    const hit: HitHandler = {
      canSeek: false,
      size,
      source: 'test',
      seek() {},
      readBody() {
        counts.reads++;
        const chunk = done ? null : enc.encode(text);
        done = true;
        return Promise.resolve(chunk);
      },
      finish() {
        counts.finished++;
        return Promise.resolve();
      },
      ...(blob !== undefined && { blob }),
    };
    return { hit, counts };
  }

  it("is the hit's Blob when it has one, and releases the hit without reading it", async () => {
    const blob = new Blob(['from the blob']);
    const { hit, counts } = hitOf('from the reader', () => Promise.resolve(blob));
    expect(await hitToBody(hit)).toBe(blob);
    expect(counts).toEqual({ reads: 0, finished: 1 });
  });

  it('streams the hit when it has no Blob method, or no Blob for this body', async () => {
    for (const blob of [undefined, () => Promise.resolve(null)]) {
      const { hit, counts } = hitOf('streamed', blob);
      const body = await hitToBody(hit);
      expect(body).toBeInstanceOf(ReadableStream);
      expect(await text(body as ReadableStream<Uint8Array>)).toBe('streamed');
      expect(counts.finished).toBe(1);
    }
  });

  it('hands a small complete body over as bytes, read whole, and releases the hit', async () => {
    const { hit, counts } = hitOf('small', () => Promise.resolve(null), 5);
    const body = await hitToBody(hit);
    expect(body).toBeInstanceOf(Uint8Array);
    expect(dec.decode(body as Uint8Array)).toBe('small');
    expect(counts).toEqual({ reads: 2, finished: 1 });
  });

  it('streams a complete body over the bytes limit', async () => {
    const { hit } = hitOf('large', undefined, BYTES_BODY_MAX + 1);
    expect(await hitToBody(hit)).toBeInstanceOf(ReadableStream);
  });

  it('rejects when a small body cannot be read, and releases the hit', async () => {
    const { hit, counts } = hitOf('x', undefined, 1);
    hit.readBody = () => Promise.reject(new Error('chunk gone'));
    await expect(hitToBody(hit)).rejects.toThrow('chunk gone');
    expect(counts.finished).toBe(1);
  });

  it('falls back to the stream when the Blob cannot be had (its errors reach the page there)', async () => {
    const { hit } = hitOf('still whole', () => Promise.reject(new Error('chunk gone')));
    expect(await text((await hitToBody(hit)) as ReadableStream<Uint8Array>)).toBe('still whole');
  });
});
