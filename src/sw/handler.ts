/// <reference lib="webworker" />
/**
 * The cache as a request handler: for a worker's own `fetch` listener, and as a Workbox route
 * handler (`registerRoute(match, handler)`), so a Workbox app can hand some routes to it.
 */
import type { RouteHandlerCallbackOptions, RouteHandlerObject } from 'workbox-core/types.js';
import { LruCacheablePredictor } from '../core/predictor.ts';
import { CacheRuntime } from './cache-runtime.ts';
import { resolveOptions, type HttpCacheOptions, type ResolvedOptions } from './config.ts';
import { FetchFlow } from './fetch-flow.ts';

declare const self: ServiceWorkerGlobalScope;

/** Methods whose responses the cache can answer; all others go to the network untouched. */
const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

export class HttpCacheHandler implements RouteHandlerObject {
  readonly options: ResolvedOptions;
  readonly runtime: CacheRuntime;
  private readonly flow: FetchFlow;

  constructor(options: HttpCacheOptions = {}) {
    this.options = resolveOptions(options, self.location.origin);
    const log = (message: string, details?: unknown): void => {
      if (this.options.debug) console.debug(`[sw-http-cache] ${message}`, details ?? '');
    };
    this.runtime = new CacheRuntime(this.options, log);
    this.flow = new FetchFlow({
      options: this.options,
      storage: this.runtime.storage,
      eviction: this.runtime.eviction,
      lock: this.runtime.lock,
      predictor: new LruCacheablePredictor(),
      fetch: (request) => fetch(request),
      now: () => Date.now(),
      log,
    });
  }

  /** Whether this handler answers `request` (route match and a cacheable method). */
  matches(request: Request): boolean {
    return (
      CACHEABLE_METHODS.has(request.method) && this.options.matches(request, new URL(request.url))
    );
  }

  /** For a `fetch` listener: answers matching requests, leaves the rest to the browser. */
  handleFetchEvent(event: FetchEvent): void {
    if (!this.matches(event.request)) return;
    event.respondWith(this.flow.handle(event.request, (promise) => event.waitUntil(promise)));
  }

  /** Workbox `RouteHandlerObject`: `registerRoute(({ url }) => …, handler)`. */
  handle({ request, event }: RouteHandlerCallbackOptions): Promise<Response> {
    if (!CACHEABLE_METHODS.has(request.method)) return fetch(request);
    return this.flow.handle(request, (promise) => event.waitUntil(promise));
  }
}
