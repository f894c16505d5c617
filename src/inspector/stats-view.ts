/**
 * The inspector's summary: hit ratio, counts, usage against the budget, bytes saved, and the
 * chart of the polls so far (samples and paths in history.ts).
 */
import type { CacheStats } from '../protocol/control-protocol.ts';
import { formatBytes } from './format.ts';
import { chartPaths, StatsHistory } from './history.ts';
import { CHART, type FindPart } from './template.ts';

export class StatsView {
  readonly #history = new StatsHistory();

  constructor(private readonly find: FindPart) {}

  /** Shows `stats` and adds them to the chart as one poll. */
  render(stats: CacheStats): void {
    const answers = stats.hits + stats.misses + stats.stale + stats.uncached;
    this.find('hit-ratio').textContent =
      answers === 0
        ? 'Hit ratio — (no answers yet)'
        : `Hit ratio ${Math.round(stats.hitRatio * 100)}% (${stats.hits} of ${answers} answers)`;
    this.find('counts').textContent =
      `${stats.hits} hits · ${stats.misses} misses · ${stats.stale} stale/revalidated · ${stats.uncached} uncached`;
    this.find('usage').textContent =
      `${stats.entries} ${stats.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(stats.bytes)} of ${formatBytes(stats.budget.maxBytes)} (at most ${stats.budget.maxEntries.toLocaleString('en')} entries)`;
    const saved = this.find('saved');
    saved.hidden = false;
    const failures =
      stats.upstreamFailures + stats.storageFailures === 0
        ? ''
        : ` · not stored: ${stats.upstreamFailures} cut by the origin, ${stats.storageFailures} storage failures`;
    saved.textContent = `${formatBytes(stats.savedBytes)} served from the cache instead of the origin${failures}`;
    this.#history.add({
      time: Date.now(),
      answers,
      hits: stats.hits,
      savedBytes: stats.savedBytes,
    });
    this.#renderChart();
  }

  #renderChart(): void {
    const samples = this.#history.samples;
    const paths = chartPaths(samples, CHART);
    this.find('chart-ratio').setAttribute('d', paths.ratio);
    this.find('chart-bars').setAttribute('d', paths.bars);
    if (samples.at(-1)?.savedBytes !== undefined) {
      this.find('chart-caption').textContent =
        'Hit ratio (line, 0–100 %) and bytes served from the cache (bars, up to ' +
        `${formatBytes(paths.maxBytes)}) per poll.`;
    }
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last || samples.length < 2) {
      this.find('chart-summary').textContent = 'Not enough samples yet.';
      return;
    }
    const answers = last.answers - first.answers;
    const hits = last.hits - first.hits;
    const seconds = Math.round((last.time - first.time) / 1000);
    const bytes =
      last.savedBytes === undefined
        ? ''
        : `, ${formatBytes(last.savedBytes - (first.savedBytes ?? 0))} from the cache`;
    this.find('chart-summary').textContent =
      `Last ${seconds} s: ${hits} of ${answers} answers from the cache${bytes}.`;
  }
}
