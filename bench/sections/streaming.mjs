/* global performance, fetch -- page-side code passed to page.evaluate */
// 3. Streaming: a second reader arrives 250 ms after the first reader's first byte of a slow
// body (10 chunks of 64 KiB, one per 100 ms); its time to first byte, and by how much that
// first byte precedes the end of the first reader's download (positive: before it finished).

/**
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} runs
 */
export async function runStreaming(ctx, runs) {
  const keys = ['ours', 'cacheFirst', 'swr'];
  for (let run = 0; run < runs; run++) {
    const order = keys.map((_, i) => keys[(i + run) % keys.length]);
    for (const key of order) {
      const contender = ctx.contenders[key];
      const path = `/api/slow?id=st-${run}&chunks=10&chunkSize=65536&interval=100&cc=max-age%3D3600`;
      const result = await contender.page.evaluate(async (path) => {
        /** Reads a response to its end; the times of its first byte and of its end. */
        const read = async (
          /** @type {Response} */ response,
          /** @type {() => void} */ onFirst,
        ) => {
          const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
          let first = Number.NaN;
          let bytes = 0;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            bytes += value.byteLength;
            if (Number.isNaN(first) && value.byteLength > 0) {
              first = performance.now();
              onFirst();
            }
          }
          return { first, end: performance.now(), bytes };
        };
        /** @type {() => void} */
        let writerStarted = () => {};
        const started = new Promise((resolve) => (writerStarted = () => resolve(undefined)));
        const writer = fetch(path).then((response) => read(response, writerStarted));
        await started;
        await new Promise((resolve) => setTimeout(resolve, 250));
        const readerStart = performance.now();
        const reader = await read(await fetch(path), () => {});
        const written = await writer;
        return {
          ttfb: reader.first - readerStart,
          lead: written.end - reader.first,
          bytes: [written.bytes, reader.bytes],
        };
      }, path);
      if (result.bytes.some((b) => b !== 10 * 65536))
        throw new Error(`short body: ${result.bytes}`);
      const common = { section: '3 streaming', size: '640 KB over 1 s', contender: contender.name };
      ctx.samples.push({
        ...common,
        measure: 'second reader, time to first byte',
        value: result.ttfb,
        unit: 'ms',
      });
      ctx.samples.push({
        ...common,
        measure: "second reader's first byte before the writer's end by",
        value: result.lead,
        unit: 'ms',
      });
      ctx.samples.push({
        ...common,
        measure: 'requests reaching the origin',
        value: contender.origin.count(path),
        unit: 'requests',
      });
    }
    ctx.log(`streaming: run ${run + 1}/${runs}`);
  }
}
