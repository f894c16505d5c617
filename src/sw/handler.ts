/// <reference lib="webworker" />
/**
 * The cache as a request handler: for a worker's own `fetch` listener, and as a Workbox route
 * handler (`registerRoute(match, handler)`), so a Workbox app can hand some routes to it. Besides
 * handling requests it offers only the control facade ({@link ControlledCache}, whose `stats()`,
 * `entries()` and `watchOutcomes()` need the `controlEndpoint()` feature); its options, storage
 * layers, lock and eviction manager stay private.
 */
import { withHeadersTimeout } from './upstream-timeout.ts';
import type { RouteHandlerCallbackOptions, RouteHandlerObject } from 'workbox-core/types.js';
import { isUnsafeMethod } from '../core/http/index.ts';
import { LruCacheablePredictor } from '../core/predictor.ts';
import type { CacheEntryInfo, CacheStats, PurgeTarget } from '../protocol/control-protocol.ts';
import { CacheRuntime } from './cache-runtime.ts';
import { resolveOptions, type HttpCacheOptions, type ResolvedOptions } from './config.ts';
import type { ControlledCache } from './control.ts';
import type { ControlWiring } from './control-endpoint.ts';
import { refuseControlUnlessEndpoint } from './control-refusal.ts';
import { featureParts, type FeatureParts } from './features.ts';
import { FetchFlow } from './fetch-flow.ts';
import { purgeTarget } from './purge.ts';
import type { FlowDeps } from './flow-deps.ts';
import { handleUnsafe } from './invalidation.ts';

declare const self: ServiceWorkerGlobalScope;

/** Methods whose responses the cache can answer; all others go to the network untouched. */
const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

export class HttpCacheHandler implements RouteHandlerObject, ControlledCache {
  readonly #options: ResolvedOptions;
  readonly #deps: FlowDeps;
  readonly #flow: FetchFlow;
  readonly #runtime: CacheRuntime;
  /** Set with the `controlEndpoint()` feature. */
  readonly #control: ControlWiring | undefined;

  constructor(options: HttpCacheOptions = {}) {
    const resolved = resolveOptions(options, self.location.origin);
    const features: FeatureParts = featureParts(options.features);
    this.#options = resolved;
    const log = (message: string, details?: unknown): void => {
      if (resolved.debug) console.debug(`[sw-http-cache] ${message}`, details ?? '');
    };
    const runtime = new CacheRuntime(resolved, log, features);
    this.#runtime = runtime;
    const control = features.control?.({
      runtime,
      name: resolved.name,
      origin: self.location.origin,
      setDebug: (on) => this.setDebug(on),
      log,
    });
    this.#control = control;
    // Here, where every handler's features are known, so a Workbox app's handler refuses the
    // page's client at once as installHttpCache's does.
    refuseControlUnlessEndpoint(control !== undefined);
    this.#deps = {
      options: resolved,
      storage: runtime.storage,
      eviction: runtime.eviction,
      lock: runtime.lock,
      predictor: new LruCacheablePredictor(),
      fetch: withHeadersTimeout((request) => fetch(request), resolved.upstreamTimeout),
      now: () => Date.now(),
      clear: () => runtime.clear(),
      record: control?.record,
      writes: control?.writes,
      storeFailed: control?.storeFailed,
      searchVariance: features.searchVariance?.(),
      multipartRanges: features.multipartRanges,
      partialContent: features.partialContent,
      log,
    };
    this.#flow = new FetchFlow(this.#deps);
  }

  /** Whether `request` matches the configured routes (any method). */
  matches(request: Request): boolean {
    return this.#options.matches(request, new URL(request.url));
  }

  /**
   * For a `fetch` listener: GET and HEAD requests that match go through the cache; unsafe ones
   * that match go to the origin and invalidate what they changed; the rest is left to the browser.
   */
  handleFetchEvent(event: FetchEvent): void {
    const { request } = event;
    const url = new URL(request.url);
    if (!this.#options.matches(request, url)) return;
    if (CACHEABLE_METHODS.has(request.method) || isUnsafeMethod(request.method)) {
      event.respondWith(this.handle({ request, event, url }));
    }
  }

  /**
   * Workbox `RouteHandlerObject`: `registerRoute(({ url }) => …, handler)`, once per method
   * (Workbox routes GET only unless told: register HEAD and the unsafe methods too).
   */
  handle({ request, event }: RouteHandlerCallbackOptions): Promise<Response> {
    const waitUntil = (promise: Promise<unknown>): void => event.waitUntil(promise);
    if (CACHEABLE_METHODS.has(request.method)) {
      return this.#flow.handle(request, waitUntil, {
        clientId: event instanceof FetchEvent ? event.clientId : '',
        preload: this.#preload(request, event),
      });
    }
    if (isUnsafeMethod(request.method)) return handleUnsafe(this.#deps, request, waitUntil);
    return fetch(request);
  }

  /**
   * A navigation's preload response when `navigationPreload` is on. The event is kept alive
   * until it settles, used or not, so the browser never cancels it under the flow.
   */
  #preload(request: Request, event: ExtendableEvent): Promise<Response | undefined> | undefined {
    if (!this.#options.navigationPreload || request.mode !== 'navigate') return undefined;
    const preload = (event as Partial<FetchEvent>).preloadResponse as
      Promise<Response | undefined> | undefined;
    if (preload === undefined) return undefined;
    event.waitUntil(preload.catch(() => undefined));
    return preload;
  }

  /** Entries, bytes, request counts and budget. Needs `controlEndpoint()` (rejects without). */
  async stats(): Promise<CacheStats> {
    return this.#controlled('stats()').stats();
  }

  /** One row per stored URL. Needs `controlEndpoint()` (rejects without). */
  async entries(): Promise<CacheEntryInfo[]> {
    return this.#controlled('entries()').entries();
  }

  purge(target: PurgeTarget): Promise<number> {
    return (
      this.#control?.cache.purge(target) ?? purgeTarget(this.#runtime, target, self.location.origin)
    );
  }

  clear(): Promise<void> {
    return this.#control?.cache.clear() ?? this.#runtime.clear();
  }

  /** Switches debug logging (and `key=` in `Cache-Status`) on or off while the worker runs. */
  setDebug(on: boolean): void {
    this.#options.debug = on;
  }

  /** Posts each answer on the outcome channel for the next 30 s. Needs `controlEndpoint()`. */
  watchOutcomes(): void {
    this.#controlled('watchOutcomes()').watchOutcomes();
  }

  #controlled(method: string): ControlledCache {
    if (this.#control === undefined) {
      throw new Error(
        `sw-http-cache: ${method} needs the control endpoint: features: [controlEndpoint()] (import { controlEndpoint } from 'sw-http-cache/sw')`,
      );
    }
    return this.#control.cache;
  }
}
