/// <reference lib="webworker" />
/**
 * The cache as a request handler: for a worker's own `fetch` listener, and as a Workbox route
 * handler (`registerRoute(match, handler)`), so a Workbox app can hand some routes to it.
 */
import { withHeadersTimeout } from './upstream-timeout.ts';
import type { RouteHandlerCallbackOptions, RouteHandlerObject } from 'workbox-core/types.js';
import { isUnsafeMethod } from '../core/http/index.ts';
import { LruCacheablePredictor } from '../core/predictor.ts';
import { CacheRuntime } from './cache-runtime.ts';
import { RequestStats } from './stats.ts';
import { resolveOptions, type HttpCacheOptions, type ResolvedOptions } from './config.ts';
import { FetchFlow } from './fetch-flow.ts';

declare const self: ServiceWorkerGlobalScope;

/** Methods whose responses the cache can answer; all others go to the network untouched. */
const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

export class HttpCacheHandler implements RouteHandlerObject {
  readonly options: ResolvedOptions;
  readonly runtime: CacheRuntime;
  readonly stats = new RequestStats();
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
      fetch: withHeadersTimeout((request) => fetch(request), this.options.upstreamTimeout),
      now: () => Date.now(),
      clear: () => this.runtime.clear(),
      record: (outcome) => this.stats.record(outcome),
      log,
    });
  }

  /** Whether `request` matches the configured routes (any method). */
  matches(request: Request): boolean {
    return this.options.matches(request, new URL(request.url));
  }

  /**
   * For a `fetch` listener: GET and HEAD requests that match go through the cache; unsafe ones
   * that match go to the origin and invalidate what they changed; the rest is left to the browser.
   */
  handleFetchEvent(event: FetchEvent): void {
    const { request } = event;
    const url = new URL(request.url);
    if (!this.options.matches(request, url)) return;
    if (CACHEABLE_METHODS.has(request.method) || isUnsafeMethod(request.method)) {
      event.respondWith(this.handle({ request, event, url }));
    }
  }

  /** Workbox `RouteHandlerObject`: `registerRoute(({ url }) => …, handler)`. */
  handle({ request, event }: RouteHandlerCallbackOptions): Promise<Response> {
    const waitUntil = (promise: Promise<unknown>): void => event.waitUntil(promise);
    if (CACHEABLE_METHODS.has(request.method)) return this.flow.handle(request, waitUntil);
    if (isUnsafeMethod(request.method)) return this.flow.handleUnsafe(request);
    return fetch(request);
  }

  /** Switches debug logging (and `key=` in `Cache-Status`) on or off while the worker runs. */
  setDebug(on: boolean): void {
    this.options.debug = on;
  }
}
