import process from 'node:process';

/** A small seeded PRNG (mulberry32): the same seed gives the same run on every machine. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One key of `weights`, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    weighted: <K extends string>(weights: Readonly<Record<K, number>>): K => {
      const entries = Object.entries(weights) as [K, number][];
      let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
  };
}

/**
 * The seed of a reliability run: `SW_HTTP_CACHE_SEED=n` (or the spec's own `variable`) replays or
 * explores another run, else `fallback`. Print it with the results so a failure can be replayed.
 */
export function reliabilitySeed(fallback: number, variable = 'SW_HTTP_CACHE_SEED'): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${variable}=${raw} is not an integer`);
  return seed;
}

/** A reliability run's seed (see {@link reliabilitySeed}) and the generator it seeds. */
export function seededRun(fallback: number, variable?: string): { seed: number; random: Random } {
  const seed = reliabilitySeed(fallback, variable);
  return { seed, random: seededRandom(seed) };
}
