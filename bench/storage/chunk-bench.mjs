/* global window -- page-side code passed to page.evaluate */
// Part 2 of the storage benchmark: IdbStorage alone in a page, write and read of one body for
// each chunk size, interleaved (every chunk size once per run, in a rotating order).

/**
 * @typedef {{ measure: string, size: string, variant: string, ms: number, bytes: number }} Sample
 */

/** @param {number} bytes */
export const chunkLabel = (bytes) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB chunks` : `${bytes / 1024} KiB chunks`;

/**
 * @param {import('playwright-core').Page} page a page of the origin serving the bench bundle
 * @param {{ chunkSizes: number[], sizes: { label: string, bytes: number }[], runs: number, log: (line: string) => void }} options
 * @returns {Promise<Sample[]>}
 */
export async function runChunkBench(page, { chunkSizes, sizes, runs, log }) {
  await page.waitForFunction(() => 'idbBench' in window);
  /** @type {Sample[]} */
  const samples = [];
  // One unmeasured round trip per chunk size: creates each database.
  for (const chunkSize of chunkSizes) await roundTrip(page, chunkSize, 1000, 'warm-up');
  for (let run = 0; run < runs; run++) {
    for (const size of sizes) {
      const order = chunkSizes.map((_, i) => chunkSizes[(i + run) % chunkSizes.length]);
      for (const chunkSize of order) {
        const { writeMs, readMs } = await roundTrip(page, chunkSize, size.bytes, String(run));
        const variant = chunkLabel(chunkSize);
        samples.push({
          measure: 'IdbStorage write',
          size: size.label,
          variant,
          ms: writeMs,
          bytes: size.bytes,
        });
        samples.push({
          measure: 'IdbStorage read',
          size: size.label,
          variant,
          ms: readMs,
          bytes: size.bytes,
        });
      }
    }
    log(`chunk bench: run ${run + 1}/${runs}`);
  }
  return samples;
}

/**
 * @param {import('playwright-core').Page} page
 * @param {number} chunkSize
 * @param {number} bytes
 * @param {string} run
 * @returns {Promise<{ writeMs: number, readMs: number }>}
 */
function roundTrip(page, chunkSize, bytes, run) {
  return page.evaluate(
    ({ chunkSize, bytes, run }) =>
      /** @type {any} */ (window).idbBench.roundTrip(chunkSize, bytes, run),
    { chunkSize, bytes, run },
  );
}
