import process from 'node:process';

/**
 * How big the reliability runs are (docs/RELIABILITY.md). CI and `npm test` run the short
 * version; `npm run test:reliability` sets `SW_HTTP_CACHE_RELIABILITY=full` and runs the sizes
 * the figures in the docs come from. The loops are the same code at both scales.
 */
export const RELIABILITY_SCALE: 'ci' | 'full' =
  process.env.SW_HTTP_CACHE_RELIABILITY === 'full' ? 'full' : 'ci';

/** `ci` under the short run, `full` under `npm run test:reliability`. */
export function scaled(ci: number, full: number): number {
  return RELIABILITY_SCALE === 'full' ? full : ci;
}
