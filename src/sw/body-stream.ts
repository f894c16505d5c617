/**
 * Body plumbing between upstream, storage and the page.
 *
 * `ReadableStream.tee()` buffers the slower branch without limit, so a miss does not use it:
 * {@link fanOutToStore} pulls one upstream chunk only when the page asks for one, hands it to the
 * store first, then to the page. Memory stays at about one chunk however slow the page reads;
 * a page that goes away stops reading, and the rest of the body is drained into the store.
 */
import type { HitHandler } from '../core/storage.ts';
import { readAll } from '../core/storage.ts';

/** Which side gave up on a stored body: the origin (the body was cut) or the store. */
export type AbortCause = 'upstream' | 'store';

/** Where a miss writes its body. Failures are reported, never thrown into the page's stream. */
export interface BodySink {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<void>;
  /**
   * Called once when the body will not be stored: `cause` says whether the origin failed (the
   * page gets a network error too) or the store did (the page still gets the whole body).
   */
  abort(reason: unknown, cause: AbortCause): Promise<void>;
}

export interface FanOut {
  /** The body for the page. */
  readonly stream: ReadableStream<Uint8Array>;
  /**
   * Settles when the store has finished or given up (pass it to `event.waitUntil`). Resolves to
   * `true` when the whole body was stored.
   */
  readonly stored: Promise<boolean>;
}

/** How long a body goes on into the store after the page cancelled (unbounded by default). */
export interface DrainAfterCancel {
  /** The most time in all. */
  readonly drainAfterCancelMs?: number;
  /** The most time one read may wait (an origin that stalls). */
  readonly drainIdleMs?: number;
}

/**
 * Splits an upstream body between the page and a store. A store failure drops the store (and
 * aborts it) but the page keeps receiving the body; an upstream failure errors the page's stream
 * (a network error, never a short body) and aborts the store. When the page cancels, the rest is
 * drained into the store; with `drainAfterCancelMs` (or `drainIdleMs`), only for that long, then the store is
 * aborted there (a piece of a sparse entry keeps what landed: the bytes already on their way are
 * stored, but a `<video>` that seeks away does not download a whole film). `onCancel` runs when
 * the page cancels, before the drain (a windowed body then ends with its window).
 */
export function fanOutToStore(
  upstream: ReadableStream<Uint8Array>,
  sink: BodySink,
  {
    drainAfterCancelMs = Number.POSITIVE_INFINITY,
    drainIdleMs = Number.POSITIVE_INFINITY,
    onCancel,
  }: DrainAfterCancel & { readonly onCancel?: () => void } = {},
): FanOut {
  const reader = upstream.getReader();
  let storeAlive = true;
  let settle!: (stored: boolean) => void;
  const stored = new Promise<boolean>((resolve) => (settle = resolve));

  const dropStore = async (reason: unknown, cause: AbortCause): Promise<void> => {
    if (!storeAlive) return;
    storeAlive = false;
    await sink.abort(reason, cause).catch(() => undefined);
    settle(false);
  };

  const store = async (chunk: Uint8Array): Promise<void> => {
    if (!storeAlive) return;
    try {
      await sink.write(chunk);
    } catch (error) {
      await dropStore(error, 'store');
    }
  };

  // One finish: a page that cancels while it runs drains to the same end, and waits for it.
  let finishing: Promise<void> | undefined;
  const finishStore = (): Promise<void> =>
    (finishing ??= (async () => {
      if (!storeAlive) return;
      try {
        await sink.finish();
        storeAlive = false;
        settle(true);
      } catch (error) {
        await dropStore(error, 'store');
      }
    })());

  /**
   * After the page cancelled: keep reading so the store still gets the body, for at most
   * `drainAfterCancelMs`, and while no read waits longer than `drainIdleMs`; then the store
   * keeps what it has and the download stops.
   */
  const drainIntoStore = async (): Promise<void> => {
    const deadline = Date.now() + drainAfterCancelMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Resolves when the next read is late: past the deadline, or idle too long. */
    const late = () =>
      new Promise<'late'>((resolve) => {
        const wait = Math.min(drainIdleMs, deadline - Date.now());
        if (Number.isFinite(wait)) timer = setTimeout(() => resolve('late'), Math.max(0, wait));
      });
    try {
      for (;;) {
        if (!storeAlive) {
          await reader.cancel().catch(() => undefined);
          return;
        }
        const next = await Promise.race([reader.read(), late()]);
        clearTimeout(timer);
        if (next === 'late' || Date.now() > deadline) {
          await dropStore(new Error('the page stopped reading'), 'upstream');
          await reader.cancel().catch(() => undefined);
          return;
        }
        if (next.done) return await finishStore();
        await store(next.value);
      }
    } catch (error) {
      // store() and finishStore() catch their own failures: this is the origin's.
      await dropStore(error, 'upstream');
    } finally {
      clearTimeout(timer);
    }
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          await dropStore(error, 'upstream');
          controller.error(error);
          return;
        }
        if (result.done) {
          await finishStore();
          controller.close();
          return;
        }
        await store(result.value);
        controller.enqueue(result.value);
      },
      async cancel() {
        onCancel?.();
        await drainIntoStore();
      },
    },
    // Pull one chunk at a time: the page's pace is the download's pace.
    { highWaterMark: 0 },
  );
  return { stream, stored };
}

/**
 * A hit handler as a page body. Reading errors become a stream error (the page sees a network
 * error, not a truncated body); cancelling or finishing releases the handler.
 */
export function hitToStream(hit: HitHandler): ReadableStream<Uint8Array> {
  return hitPullStream(hit, async (controller) => {
    const chunk = await hit.readBody();
    if (chunk === null) {
      controller.close();
      await hit.finish();
    } else {
      controller.enqueue(chunk);
    }
  });
}

/**
 * A page body pulled from a hit one `pull` step at a time. A step that throws errors the stream
 * and releases the handler; cancelling releases it too. A step that closes the stream finishes
 * the handler itself.
 */
export function hitPullStream(
  hit: HitHandler,
  pull: (controller: ReadableStreamDefaultController<Uint8Array>) => Promise<void>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          await pull(controller);
        } catch (error) {
          controller.error(error);
          await hit.finish().catch(() => undefined);
        }
      },
      async cancel() {
        await hit.finish();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A complete body at most this large is read whole and handed to the page as bytes, not as a
 * stream: a streamed body costs the page a round trip per chunk (docs/benchmarks.md, "Where a
 * hit's time goes"). Inline IndexedDB bodies (up to 64 KiB) are already in hand after the lookup.
 */
export const BYTES_BODY_MAX = 64 * 1024;

/**
 * The page body of a hit: its Blob when the storage has one; the bytes of a small complete body;
 * else a stream that reads it. A failure to read a small body rejects (the caller answers from
 * the network instead); a streamed body's failures reach the page as a stream error.
 */
export async function hitToBody(
  hit: HitHandler,
): Promise<Blob | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
  const blob = await hit.blob?.().catch(() => null);
  if (blob !== undefined && blob !== null) {
    await hit.finish().catch(() => undefined);
    return blob;
  }
  if (hit.size === undefined || hit.size > BYTES_BODY_MAX) return hitToStream(hit);
  try {
    return (await readAll(hit)) as Uint8Array<ArrayBuffer>;
  } finally {
    await hit.finish().catch(() => undefined);
  }
}

/** A body with no bytes (a response without one, as a stream). */
export function emptyBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}
