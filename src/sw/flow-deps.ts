/**
 * What the fetch flow works with: the resolved options and the pieces plugged into `HttpCache`
 * (for every request), and the context of one request.
 */
import type { HttpCache } from '../core/http-cache.ts';
import type { EvictionManager } from '../core/eviction.ts';
import type { CacheLock } from '../core/lock.ts';
import type { CacheablePredictor } from '../core/predictor.ts';
import type { Storage } from '../core/storage.ts';
import type { ResolvedOptions } from './config.ts';
import type { AbortCause } from './body-stream.ts';
import type { AnsweredRequest } from './stats.ts';
import type { WriteTracker } from './write-tracker.ts';
import type { MultipartRanges } from './multipart-ranges.ts';
import type { PartialContent } from './partial-content.ts';
import type { SearchVariance } from './search-variance.ts';

export interface FlowDeps {
  readonly options: ResolvedOptions;
  readonly storage: Storage;
  readonly eviction?: EvictionManager | undefined;
  readonly predictor?: CacheablePredictor | undefined;
  readonly lock?: CacheLock | undefined;
  /** Network access (the global `fetch` in the worker; a fake in tests). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Empties the whole cache (for `Clear-Site-Data: "cache"`). */
  readonly clear: () => Promise<void>;
  /** Called once per answered GET/HEAD request (stats, the outcome stream). */
  readonly record?: ((answered: AnsweredRequest) => void) | undefined;
  /** The bodies being stored, for `entries()`. */
  readonly writes?: WriteTracker | undefined;
  /** Called when a body is not stored after all, with who failed. */
  readonly storeFailed?: ((cause: AbortCause) => void) | undefined;
  /** `No-Vary-Search` matching (the `noVarySearch()` feature); exact URLs without it. */
  readonly searchVariance?: SearchVariance | undefined;
  /** `multipart/byteranges` answers (the `multipartRanges()` feature); a 200 without it. */
  readonly multipartRanges?: MultipartRanges | undefined;
  /** Sparse entries from 206 responses (the `partialContent()` feature); none without it. */
  readonly partialContent?: PartialContent | undefined;
  /** Debug logging; a no-op unless `debug` is on. */
  readonly log: (message: string, details?: unknown) => void;
}

/** Keeps background work (storing a body, a revalidation) alive: `FetchEvent.waitUntil`. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** One GET or HEAD request on its way through the flow: what every step of it works with. */
export interface RequestContext {
  readonly deps: FlowDeps;
  /** The request's cache state machine. */
  readonly cache: HttpCache;
  readonly request: Request;
  readonly waitUntil: WaitUntil;
  /** A navigation's preload (`FetchEvent.preloadResponse`), when navigation preload is on. */
  readonly preload?: NavigationPreload | undefined;
}

/**
 * The request the browser sent for a navigation while the worker started. It stands for the
 * flow's first request to the origin, whatever that would have been (see `askOriginOnce`).
 */
export interface NavigationPreload {
  /** Until the flow takes it: the browser's answer, `undefined` when it sent no request. */
  response: Promise<Response | undefined> | undefined;
  /** When the navigation reached the worker (the preload was sent no later). */
  readonly sentBy: number;
}

/** The key for `Cache-Status; key=`, only when debugging. */
export function debugKey({ deps, cache }: RequestContext): string | undefined {
  return deps.options.debug ? cache.cacheKey().primary : undefined;
}
