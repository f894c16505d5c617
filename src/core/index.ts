/**
 * The runtime-agnostic core of sw-http-cache: keys, metadata, phases, the contracts of storage,
 * lock and eviction, the per-request `HttpCache` state machine, the cacheability predictor, and
 * the RFC 9111 semantics in `./http/`.
 */
export * from './key.ts';
export * from './meta.ts';
export * from './phase.ts';
export * from './storage.ts';
export * from './lock.ts';
export * from './eviction.ts';
export * from './http-cache.ts';
export * from './predictor.ts';
export * from './max-file-size.ts';
export * from './lock-release.ts';
export * from './http/index.ts';
