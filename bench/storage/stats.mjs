// Summaries and the printed table of the storage benchmark.

/**
 * Nearest-rank percentile of `values` (not modified), e.g. `percentile(xs, 0.9)`.
 *
 * @param {readonly number[]} values
 * @param {number} p between 0 and 1
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/**
 * @typedef {object} Row
 * @property {string} measure what was timed
 * @property {string} size e.g. `1 MB`
 * @property {string} variant e.g. the layer that served the hit, or the chunk size
 * @property {number[]} ms one number per run
 * @property {number} bytes body size, for the throughput column
 */

/** @param {number} ms */
const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

/**
 * Prints one line per row: median and p90 in ms, the number of runs, and MB/s at the median.
 *
 * @param {string} title
 * @param {readonly Row[]} rows
 */
export function printTable(title, rows) {
  const header = ['measure', 'size', 'variant', 'n', 'median ms', 'p90 ms', 'MB/s @median'];
  const lines = rows.map((row) => {
    const median = percentile(row.ms, 0.5);
    return [
      row.measure,
      row.size,
      row.variant,
      String(row.ms.length),
      fmt(median),
      fmt(percentile(row.ms, 0.9)),
      row.bytes >= 1_000_000 ? (row.bytes / 1e6 / (median / 1000)).toFixed(0) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(render(header));
  console.log(render(widths.map((w) => '-'.repeat(w))));
  for (const line of lines) console.log(render(line));
}

/**
 * Groups samples into rows by `measure`, `size` and `variant`, in first-seen order.
 *
 * @param {readonly { measure: string, size: string, variant: string, ms: number, bytes: number }[]} samples
 * @returns {Row[]}
 */
export function toRows(samples) {
  /** @type {Map<string, Row>} */
  const rows = new Map();
  for (const s of samples) {
    const id = `${s.measure}\u0000${s.size}\u0000${s.variant}`;
    let row = rows.get(id);
    if (row === undefined) {
      row = { measure: s.measure, size: s.size, variant: s.variant, ms: [], bytes: s.bytes };
      rows.set(id, row);
    }
    row.ms.push(s.ms);
  }
  return [...rows.values()];
}
