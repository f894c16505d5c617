/// <reference lib="webworker" />
/**
 * Installing the cache in a service worker: one call sets up the worker's lifecycle and its
 * `fetch` listener.
 */
import { clientsClaim } from 'workbox-core';
import { CLAIM_MESSAGE, hasMessageType } from '../protocol/control-protocol.ts';
import type { HttpCacheOptions } from './config.ts';
import { HttpCacheHandler } from './handler.ts';
import { isFromSameOriginWindow } from './same-origin-window.ts';

declare const self: ServiceWorkerGlobalScope;

/** The message a page posts to a waiting worker to activate it (workbox-window, vite-plugin-pwa). */
export const SKIP_WAITING_MESSAGE = 'SKIP_WAITING';

export interface InstallOptions extends HttpCacheOptions {
  /**
   * When a new version of the worker activates. `true` (default): as soon as it is installed,
   * without waiting for old tabs (vite-plugin-pwa's `registerType: 'autoUpdate'`). `'message'`:
   * it waits until a same-origin page posts `{ type: 'SKIP_WAITING' }`, as `workbox-window`'s
   * `messageSkipWaiting()` and vite-plugin-pwa's `updateServiceWorker()` do (`registerType:
   * 'prompt'`). `false`: the worker does nothing; the app handles activation itself.
   */
  readonly skipWaiting?: boolean | 'message';
  /**
   * Take control of open pages when the worker activates, and of a page that asks later (one
   * whose document was still loading at activation, which `clients.claim()` skips; the page API
   * asks for it). Default `true`.
   */
  readonly clientsClaim?: boolean;
}

/**
 * Makes this service worker an HTTP cache: every request that matches `options.routes` is
 * answered through the cache; every other request is left to the browser. Without the
 * `controlEndpoint()` feature, a page's control client is refused at once with a message that
 * says to add it.
 */
export function installHttpCache(options: InstallOptions = {}): HttpCacheHandler {
  if ('control' in options) {
    throw new TypeError(
      "sw-http-cache: the control option is gone: pass features: [controlEndpoint()] (import { controlEndpoint } from 'sw-http-cache/sw'), or leave it out for no control endpoint",
    );
  }
  const handler = new HttpCacheHandler(options);
  const skipWaiting = options.skipWaiting ?? true;
  if (skipWaiting === true) {
    self.addEventListener('install', () => void self.skipWaiting());
  } else if (skipWaiting === 'message') {
    listenForSkipWaiting();
  } else if (skipWaiting !== false) {
    throw new RangeError(
      `sw-http-cache: skipWaiting must be true, false or 'message', got ${JSON.stringify(skipWaiting)}`,
    );
  }
  if (options.clientsClaim ?? true) claimClients();
  if (options.navigationPreload) enableNavigationPreload();
  self.addEventListener('fetch', (event) => handler.handleFetchEvent(event));
  return handler;
}

/**
 * Takes control of the open pages when the worker activates (workbox-core's `clientsClaim()`), and
 * of a window of this origin that asks for it later: `registerHttpCache` and `connectHttpCache`
 * ask when a page whose document was still loading at activation (which `clients.claim()`
 * skips) finds itself uncontrolled. `installHttpCache` calls it unless `clientsClaim: false`; a
 * worker that builds its own lifecycle (a Workbox app) calls it instead of `clientsClaim()`.
 */
export function claimClients(): void {
  clientsClaim();
  // A worker asked after it stopped being the active one may not claim: nothing to do then.
  onWindowMessage(CLAIM_MESSAGE, () => self.clients.claim().catch(() => undefined));
}

/** Switches navigation preload on when the worker activates, where the browser has it. */
function enableNavigationPreload(): void {
  self.addEventListener('activate', (event) => {
    // Feature-detected: without it navigations simply make their own request.
    const preload = (self.registration as Partial<ServiceWorkerRegistration>).navigationPreload;
    if (preload) event.waitUntil(preload.enable());
  });
}

/**
 * Activates this worker when a window of its own origin posts `{ type: 'SKIP_WAITING' }`; other
 * messages (the control client's hello among them) are left to their own listeners.
 */
export function listenForSkipWaiting(): void {
  onWindowMessage(SKIP_WAITING_MESSAGE, () => self.skipWaiting());
}

/**
 * Runs `act` under the event's `waitUntil` when a window of this origin posts `{ type }`; other
 * messages, and the same from workers or other origins, are left alone.
 */
function onWindowMessage(type: string, act: () => Promise<unknown>): void {
  self.addEventListener('message', (event) => {
    if (hasMessageType(event.data, type) && isFromSameOriginWindow(event)) event.waitUntil(act());
  });
}
