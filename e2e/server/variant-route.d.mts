/** Types for variant-route.mjs. */

/** The key of the deterministic bytes `/api/variant` sends when the varied header is `value`. */
export declare function variantBodyKey(pathAndQuery: string, value: string): string;
