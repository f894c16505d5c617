/// <reference lib="webworker" />
/**
 * Installing the cache in a service worker: one call sets up the worker's lifecycle and its
 * `fetch` listener.
 */
import { clientsClaim } from 'workbox-core';
import type { HttpCacheOptions } from './config.ts';
import { listenForControl } from './control.ts';
import { HttpCacheHandler } from './handler.ts';

declare const self: ServiceWorkerGlobalScope;

export interface InstallOptions extends HttpCacheOptions {
  /** Activate a new version of the worker at once instead of waiting for old tabs. Default `true`. */
  readonly skipWaiting?: boolean;
  /** Take control of open pages when the worker activates. Default `true`. */
  readonly clientsClaim?: boolean;
  /**
   * Answer `registerHttpCache`'s control client (stats, entries, purge, clear, debug) from
   * same-origin pages. Default `true`.
   */
  readonly control?: boolean;
}

/**
 * Makes this service worker an HTTP cache: every request that matches `options.routes` is
 * answered through the cache; every other request is left to the browser.
 */
export function installHttpCache(options: InstallOptions = {}): HttpCacheHandler {
  const handler = new HttpCacheHandler(options);
  if (options.skipWaiting ?? true) {
    self.addEventListener('install', () => void self.skipWaiting());
  }
  if (options.clientsClaim ?? true) clientsClaim();
  self.addEventListener('fetch', (event) => handler.handleFetchEvent(event));
  if (options.control ?? true) listenForControl(handler);
  return handler;
}
