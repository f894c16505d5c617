// The targets, each on one kind of row, and the reference rows ratios are printed
// against where a row has no target.

import { MINIMAL_WORKER as MINIMAL } from './feature-bundles.mjs';

/** Our two bench workers: every feature, and the minimal one (the rows targets apply to). */
const isOurWorker = (/** @type {string} */ contender) =>
  contender === 'sw-http-cache' || contender === MINIMAL;

/** @typedef {import('./report.mjs').Target} Target */
/** @typedef {Pick<import('./report.mjs').Row, 'section' | 'measure' | 'size' | 'contender'>} RowId */

/** @param {number} max @param {string} text @param {Target['ref']} ref @returns {Target} */
const ratioAtMost = (max, text, ref) => ({
  text,
  ref,
  test: (row) => row.ratio !== undefined && row.ratio <= max,
});

/**
 * @param {RowId} row
 * @returns {Target | undefined}
 */
export function targetFor(row) {
  const { section, measure, size, contender } = row;
  if (section === '1 hits' && contender === 'sw-http-cache IndexedDB') {
    // Both workers restarted the same way before the hit (bench/sections/hits.mjs).
    return ratioAtMost(1.0, '≤ 1.0× workbox CacheFirst, restarted', {
      contender: 'workbox CacheFirst, restarted',
    });
  }
  if (section === '1 hits' && contender === 'sw-http-cache L1') {
    return ratioAtMost(1.1, '≤ 1.1× floor', { contender: 'floor' });
  }
  if (
    section === '2 coalescing' &&
    contender === 'sw-http-cache' &&
    measure.startsWith('requests')
  ) {
    return { text: 'exactly 1 every run', test: (r) => r.values.every((v) => v === 1) };
  }
  if (section === '3 streaming' && contender === 'sw-http-cache' && measure.includes('before')) {
    return { text: '> 0 every run', test: (r) => r.values.every((v) => v > 0) };
  }
  if (section === '4 ranges' && size === '1 KB of 100 MB') {
    return ratioAtMost(1.2, '≤ 1.2× 1 MB (the same)', { size: '1 KB of 1 MB' });
  }
  if (section === '5 scale' && size !== '10 entries' && /^(L1|IndexedDB) hit/.test(measure)) {
    return ratioAtMost(1.2, '≤ 1.2× 10 entries', { size: '10 entries' });
  }
  if (section === '5 scale' && measure.startsWith('admission') && isOurWorker(contender)) {
    return {
      text: '≥ 1.0× workbox CacheFirst',
      ref: { contender: 'workbox CacheFirst' },
      test: (r) => r.ratio !== undefined && r.ratio >= 1.0,
    };
  }
  if (section === '5 scale' && contender.includes('evicts')) {
    return ratioAtMost(1.1, '≤ 1.1× no eviction', { contender: 'sw-http-cache, no eviction' });
  }
  if (section === '6 cold start' && measure.startsWith('first hit') && isOurWorker(contender)) {
    return ratioAtMost(1.0, '≤ 1.0× workbox CacheFirst', { contender: 'workbox CacheFirst' });
  }
  if (section === '6 cold start' && measure.includes('bundle, gzip') && contender === MINIMAL) {
    return {
      text: '≤ 16 KB',
      ref: { contender: 'workbox routing+CacheFirst+expiration' },
      test: (r) => r.median <= 16,
    };
  }
  if (section === '7 memory' && contender === 'sw-http-cache' && measure.includes('peak')) {
    return { text: '< 32 MiB', test: (r) => r.median < 32 };
  }
  return undefined;
}

/**
 * @param {RowId} row
 * @returns {Target['ref'] | undefined}
 */
export function refFor(row) {
  const { section, measure, size, contender } = row;
  if (
    ['1 hits', '2 coalescing', '3 streaming'].includes(section) &&
    contender !== 'workbox CacheFirst'
  ) {
    return { contender: 'workbox CacheFirst' };
  }
  if (section === '4 ranges' && size !== '1 KB of 1 MB') return { size: '1 KB of 1 MB' };
  if (section === '5 scale' && size !== '10 entries' && measure.includes('hit')) {
    return { size: '10 entries' };
  }
  if (section === '5 scale' && contender.includes('evicts')) {
    return { contender: 'sw-http-cache, no eviction' };
  }
  if (section === '6 cold start' && measure.startsWith('first hit') && isOurWorker(contender)) {
    return { contender: 'workbox CacheFirst' };
  }
  if (
    section === '6 cold start' &&
    measure.startsWith('worker bundle') &&
    (contender.startsWith('sw-http-cache (') || contender === MINIMAL)
  ) {
    return { contender: 'workbox routing+CacheFirst+expiration' };
  }
  if (section === '7 memory' && contender === 'sw-http-cache') {
    return { contender: 'workbox CacheFirst' };
  }
  if (section === '8 navigation' && contender.startsWith('sw-http-cache')) {
    return { contender: 'workbox NetworkFirst, navigation preload' };
  }
  if (section === '9 traffic' && contender !== 'sw-http-cache') {
    return { contender: 'sw-http-cache' };
  }
  return undefined;
}
