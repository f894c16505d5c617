/** Types for bench/lib/feature-bundles.mjs (plain JavaScript so Node runs it without a TS loader). */

export type FeatureName =
  'controlEndpoint' | 'crossContext' | 'noVarySearch' | 'multipartRanges' | 'partialContent';

export const FEATURES: readonly FeatureName[];

export const MINIMAL_WORKER: string;

export interface FeatureWorker {
  /** The minified worker. */
  readonly code: string;
  /** Its sourcemap (v3). */
  readonly map: { readonly sources: string[]; readonly mappings: string };
  /** `code` gzipped at level 9, in bytes. */
  readonly gzipBytes: number;
}

export function buildFeatureWorker(
  features: readonly FeatureName[],
  outDir: string,
): Promise<FeatureWorker>;
