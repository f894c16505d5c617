/**
 * A long range fetched from the origin as bounded windows (`bytes=a-b`, one after the other)
 * instead of one open request. An open request cannot be stopped without waste: when the page
 * drops it (a `<video>` that seeks), the bytes already in the socket buffers on both sides (on
 * localhost most of a 20 MB file) were sent by the origin and are never stored. A window can be
 * read to its end after the page left, so every byte the origin sent is stored, and the download
 * after a drop is at most two windows: the one being read and the one asked ahead
 * (`docs/partial-content.md`).
 */
import type { ByteSpan } from '../core/byte-spans.ts';
import type { DrainAfterCancel } from './body-stream.ts';

/** Bytes asked of the origin per request for a long range: the most a dropped read still downloads. */
export const UPSTREAM_WINDOW_BYTES = 2 * 1024 * 1024;

/**
 * How a windowed piece goes on after the page dropped its read: to the end of the windows
 * already asked, however slowly (the bytes are bounded by them), unless the origin stalls for 2 s (readers
 * following the download then fetch the rest themselves).
 */
export const WINDOW_DRAIN: DrainAfterCancel = { drainIdleMs: 2000 };

/** The first window of `span` (`[start, end)`), `end` possibly infinite (an open range). */
export function firstWindow(span: ByteSpan, window = UPSTREAM_WINDOW_BYTES): ByteSpan {
  return { start: span.start, end: Math.min(span.end, span.start + window) };
}

/** A body made of windows, and the switch that makes it end with the windows already asked. */
export interface WindowedBody {
  readonly stream: ReadableStream<Uint8Array>;
  /**
   * Ends the body with the windows already asked for (the one being read, and the next one if
   * it was asked ahead): both are read to their end, no further window is asked for.
   */
  stopAfterWindow(): void;
}

/**
 * The bytes of `span` from `first` (the body of the first window, `[span.start, firstEnd)`) and
 * then of the windows `fetchWindow` brings. The next window is asked ahead, once half of the
 * current one has been read, so a reader that keeps reading does not wait a round trip every
 * window; a reader that stops leaves at most these two windows to download. A window that
 * brings fewer or more bytes than asked errors the body (the origin cut it or sent something
 * else): never bytes at the wrong offset. `fetchWindow` rejects when the origin does not answer
 * with exactly that window of the same representation; its rejection errors the body once the
 * window before has been read whole.
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
  /** The window after `current`, once asked. */
  let ahead: { window: ByteSpan; body: Promise<ReadableStream<Uint8Array>> } | undefined;

  const ask = (start: number) => {
    const next = { start, end: Math.min(span.end, start + window) };
    const body = new Promise<ReadableStream<Uint8Array>>((resolve) => resolve(fetchWindow(next)));
    // Its failure is seen when it is read; until then it is not an unhandled rejection.
    body.catch(() => undefined);
    return { window: next, body };
  };
  const askAhead = () => {
    if (ahead !== undefined || stopped || current.end >= span.end) return;
    if (position - current.start < (current.end - current.start) / 2) return;
    ahead = ask(current.end);
  };
  /** Drops the window asked ahead (the body errored or was cancelled: nothing of it is stored). */
  const dropAhead = async (reason?: unknown) => {
    const dropped = ahead;
    ahead = undefined;
    await dropped?.body.then((body) => body.cancel(reason)).catch(() => undefined);
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (!done) {
              position += value.byteLength;
              if (position > current.end) {
                await reader.cancel().catch(() => undefined);
                throw new Error('a window brought more bytes than asked for');
              }
              controller.enqueue(value);
              askAhead();
              return;
            }
            if (position < current.end) throw new Error('a window ended before its last byte');
            if (ahead === undefined && (stopped || position >= span.end)) {
              controller.close();
              return;
            }
            const next = ahead ?? ask(position);
            ahead = undefined;
            current = next.window;
            reader = (await next.body).getReader();
          }
        } catch (error) {
          await dropAhead(error);
          throw error;
        }
      },
      async cancel(reason) {
        await Promise.all([reader.cancel(reason), dropAhead(reason)]);
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
