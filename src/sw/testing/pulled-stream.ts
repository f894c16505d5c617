/**
 * A body stream for tests that makes each chunk only when its reader asks for it: no chunk is
 * queued ahead (`highWaterMark` 0), so what the test's source gave out is what was read.
 */
export function pulledStream(next: () => Uint8Array | undefined): ReadableStream<Uint8Array> {
  return new ReadableStream(
    {
      // `next` ends the stream with undefined; an error it throws errors the stream.
      pull(controller) {
        const chunk = next();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}
