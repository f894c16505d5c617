// Samples → rows (median, p90, ratio to a reference row, target met or missed) → a table.
import { percentile } from '../storage/stats.mjs';

/**
 * One measured number.
 *
 * @typedef {object} Sample
 * @property {string} section e.g. `1 hits`
 * @property {string} measure what was measured
 * @property {string} size body size or scale, `-` when none
 * @property {string} contender who answered (sw-http-cache L1, workbox CacheFirst, …)
 * @property {number} value
 * @property {'ms' | 'requests' | 'MiB' | 'KB' | 'entries/s'} unit
 * @property {string} [served] what actually answered, e.g. the Cache-Status detail
 *
 * A target on a row: its median, alone or as a ratio to the median of a reference row (the same
 * section, measure, size and contender except what `ref` overrides).
 * @typedef {object} Target
 * @property {string} text printed, e.g. `≤ 1.0× workbox CacheFirst`
 * @property {Partial<Pick<Sample, 'measure' | 'size' | 'contender'>>} [ref]
 * @property {(row: Row) => boolean} test met when true (the row's median, ratio and values are set)
 *
 * @typedef {object} Row
 * @property {string} section
 * @property {string} measure
 * @property {string} size
 * @property {string} contender
 * @property {string} unit
 * @property {string[]} served distinct `served` values seen
 * @property {number[]} values
 * @property {number} median
 * @property {number} p90
 * @property {number | undefined} ratio median / reference median
 * @property {string} ratioTo which row the ratio is to
 * @property {string} target
 * @property {'met' | 'missed' | ''} result
 */

/** @param {Pick<Sample, 'section' | 'measure' | 'size' | 'contender'>} s */
const rowId = (s) => [s.section, s.measure, s.size, s.contender].join('\u0000');

/**
 * @param {readonly Sample[]} samples
 * @param {(row: Pick<Row, 'section' | 'measure' | 'size' | 'contender'>) => Target | undefined} targetFor
 * @param {(row: Pick<Row, 'section' | 'measure' | 'size' | 'contender'>) => Target['ref'] | undefined} refFor
 *   the row a ratio is printed against, for rows without a target
 * @returns {Row[]}
 */
export function summarize(samples, targetFor, refFor) {
  /** @type {Map<string, Row>} */
  const rows = new Map();
  for (const s of samples) {
    let row = rows.get(rowId(s));
    if (row === undefined) {
      row = {
        section: s.section,
        measure: s.measure,
        size: s.size,
        contender: s.contender,
        unit: s.unit,
        served: [],
        values: [],
        median: Number.NaN,
        p90: Number.NaN,
        ratio: undefined,
        ratioTo: '',
        target: '',
        result: '',
      };
      rows.set(rowId(s), row);
    }
    row.values.push(s.value);
    if (s.served !== undefined && !row.served.includes(s.served)) row.served.push(s.served);
  }
  for (const row of rows.values()) {
    row.median = percentile(row.values, 0.5);
    row.p90 = percentile(row.values, 0.9);
  }
  for (const row of rows.values()) {
    const target = targetFor(row);
    const ref = target?.ref ?? refFor(row);
    if (ref !== undefined) {
      const other = rows.get(rowId({ ...row, ...ref }));
      if (other !== undefined && other !== row && other.median !== 0) {
        row.ratio = row.median / other.median;
        row.ratioTo = ref.contender ?? ref.size ?? ref.measure ?? '';
      }
    }
    if (target !== undefined) {
      row.target = target.text;
      const measurable = target.ref === undefined || row.ratio !== undefined;
      row.result = measurable && target.test(row) ? 'met' : 'missed';
    }
  }
  return [...rows.values()];
}

/** @param {number} value @param {string} unit */
function fmt(value, unit) {
  if (!Number.isFinite(value)) return '-';
  if (unit === 'requests') return String(Math.round(value));
  if (unit === 'entries/s') return value.toFixed(0);
  const abs = Math.abs(value);
  return abs < 10 ? value.toFixed(2) : abs < 100 ? value.toFixed(1) : value.toFixed(0);
}

/**
 * The table as Markdown lines: one per row, grouped by section.
 *
 * @param {readonly Row[]} rows
 */
export function renderTable(rows) {
  const header = [
    'measure',
    'size',
    'contender',
    'served',
    'n',
    'median',
    'p90',
    'unit',
    'ratio',
    'target',
    'result',
  ];
  const lines = rows.map((row) => [
    `${row.section}: ${row.measure}`,
    row.size,
    row.contender,
    row.served.join(', ') || '-',
    String(row.values.length),
    fmt(row.median, row.unit),
    fmt(row.p90, row.unit),
    row.unit,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}× ${row.ratioTo}`,
    row.target,
    row.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  /** @param {string[]} cells */
  const render = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)];
}
