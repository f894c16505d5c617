/**
 * The inspector's chart: the hit ratio and the bytes answered from the cache, sampled each time
 * it polls the stats, drawn as SVG paths. Pure (no DOM), unit-tested under Node.
 */

export interface StatsSample {
  readonly time: number;
  /** Answers counted so far (hits, misses, stale, uncached). */
  readonly answers: number;
  readonly hits: number;
  /** Body bytes answered from the cache instead of the origin so far, when the worker reports it. */
  readonly savedBytes: number | undefined;
}

export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
}

export interface ChartPaths {
  /** Hit ratio of the answers between two samples, as a polyline (0 % at the bottom). */
  readonly ratio: string;
  /** Bytes from the cache between two samples, as bars scaled to the largest. */
  readonly bars: string;
  /** The largest bar, in bytes (the bar scale). */
  readonly maxBytes: number;
}

/** Keeps the last `max` samples; a drop in the counters (a cleared cache or a new worker) restarts it. */
export class StatsHistory {
  #samples: StatsSample[] = [];

  constructor(private readonly max = 60) {}

  get samples(): readonly StatsSample[] {
    return this.#samples;
  }

  add(sample: StatsSample): void {
    const last = this.#samples.at(-1);
    if (
      last &&
      (sample.answers < last.answers || (sample.savedBytes ?? 0) < (last.savedBytes ?? 0))
    ) {
      // The counters restarted: deltas across the restart would be negative.
      this.#samples = [];
    }
    this.#samples.push(sample);
    if (this.#samples.length > this.max) this.#samples.shift();
  }
}

/** The paths for `samples` in a `width` × `height` box, one step per interval between samples. */
export function chartPaths(
  samples: readonly StatsSample[],
  box: ChartGeometry,
  slots = 59,
): ChartPaths {
  const steps: { ratio: number | undefined; bytes: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const answers = b.answers - a.answers;
    steps.push({
      ratio: answers > 0 ? (b.hits - a.hits) / answers : undefined,
      bytes: Math.max(0, (b.savedBytes ?? 0) - (a.savedBytes ?? 0)),
    });
  }
  const shownSteps = steps.slice(-slots);
  const slot = box.width / slots;
  const maxBytes = Math.max(0, ...shownSteps.map((s) => s.bytes));
  const offset = slots - shownSteps.length; // the newest step at the right edge
  const bars: string[] = [];
  const points: string[] = [];
  let pen = false;
  shownSteps.forEach((step, i) => {
    const x = (offset + i) * slot;
    if (step.bytes > 0 && maxBytes > 0) {
      const h = (step.bytes / maxBytes) * box.height;
      bars.push(
        `M${fmt(x + slot * 0.15)} ${fmt(box.height)}v${fmt(-h)}h${fmt(slot * 0.7)}v${fmt(h)}z`,
      );
    }
    if (step.ratio === undefined) {
      pen = false; // no answers in this interval: a gap in the line
      return;
    }
    const y = box.height - step.ratio * box.height;
    points.push(`${pen ? 'L' : 'M'}${fmt(x + slot / 2)} ${fmt(y)}`);
    pen = true;
  });
  return { ratio: points.join(''), bars: bars.join(''), maxBytes };
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}
