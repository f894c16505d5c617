/**
 * A long range fetched from the origin as bounded windows (`bytes=a-b`, one after the other)
 * instead of one open request. An open request cannot be stopped without waste: when the page
 * drops it (a `<video>` that seeks), the bytes already in the socket buffers on both sides (on
 * localhost most of a 20 MB file) were sent by the origin and are never stored. A window can be
 * read to its end after the page left, so every byte the origin sent is stored, and the download
 * after a drop is at most one window (`docs/partial-content.md`).
 */
import type { ByteSpan } from '../core/byte-spans.ts';
import type { DrainAfterCancel } from './body-stream.ts';

/** Bytes asked of the origin per request for a long range: the most a dropped read still downloads. */
export const UPSTREAM_WINDOW_BYTES = 2 * 1024 * 1024;

/**
 * How a windowed piece goes on after the page dropped its read: to its window's end, however
 * slowly (the bytes are bounded by the window), unless the origin stalls for 2 s (readers
 * following the download then fetch the rest themselves).
 */
export const WINDOW_DRAIN: DrainAfterCancel = { drainIdleMs: 2000 };

/** The first window of `span` (`[start, end)`), `end` possibly infinite (an open range). */
export function firstWindow(span: ByteSpan, window = UPSTREAM_WINDOW_BYTES): ByteSpan {
  return { start: span.start, end: Math.min(span.end, span.start + window) };
}

/** A body made of windows, and the switch that makes it end with the window being read. */
export interface WindowedBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Ends the body at the end of the current window: no further window is asked for. */
  stopAfterWindow(): void;
}

/**
 * The bytes of `span` from `first` (the body of the first window, `[span.start, firstEnd)`) and
 * then of the windows `fetchWindow` brings, each asked when the one before has been read. A
 * window that brings fewer or more bytes than asked errors the body (the origin cut it or sent
 * something else): never bytes at the wrong offset. `fetchWindow` rejects when the origin does
 * not answer with exactly that window of the same representation.
 */
export function windowedBody(
  first: ReadableStream<Uint8Array>,
  firstEnd: number,
  span: ByteSpan,
  fetchWindow: (window: ByteSpan) => Promise<ReadableStream<Uint8Array>>,
  window = UPSTREAM_WINDOW_BYTES,
): WindowedBody {
  let reader = first.getReader();
  let current: ByteSpan = { start: span.start, end: firstEnd };
  let position = span.start;
  let stopped = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const { done, value } = await reader.read();
          if (!done) {
            position += value.byteLength;
            if (position > current.end) {
              await reader.cancel().catch(() => undefined);
              throw new Error('a window brought more bytes than asked for');
            }
            controller.enqueue(value);
            return;
          }
          if (position < current.end) throw new Error('a window ended before its last byte');
          if (stopped || position >= span.end) {
            controller.close();
            return;
          }
          current = { start: position, end: Math.min(span.end, position + window) };
          reader = (await fetchWindow(current)).getReader();
        }
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    stopAfterWindow: () => {
      stopped = true;
    },
  };
}
