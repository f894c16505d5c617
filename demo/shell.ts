/// <reference lib="webworker" />
/**
 * The demo's app shell, offline. The test origin serves the shell with `Cache-Control: no-cache`
 * and an ETag, and RFC 9111 §5.2.2.4 forbids an HTTP cache to use such a response without a
 * successful revalidation — not even with the origin down — so the shell is deliberately *not*
 * routed through sw-http-cache. Instead this worker keeps an application-level copy in the Cache
 * API: shell requests go to the network first (so the browser still revalidates every time), and
 * only when the network fails is the last good copy served. The page warms the copy once the
 * worker controls it (see demo/offline-shell.ts), since the first load happened without it.
 */
declare const self: ServiceWorkerGlobalScope;

export const SHELL_CACHE = 'sw-http-cache-demo-shell';
/** The demo's own files: the page, its bundles, manifest and icons. Nothing under /api/ or /e2e/. */
const SHELL_PATH = /^\/(index\.html|manifest\.webmanifest|icons\/[\w.-]+|assets\/[\w.-]+)?$/;

/**
 * Adds the shell's `fetch` listener. A function, not a side effect of the import: the package is
 * `sideEffects: false`, so the bundler would drop a bare `import './shell.ts'`.
 */
export function keepShellOffline(): void {
  self.addEventListener('fetch', (event: FetchEvent) => {
    const { request } = event;
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.origin !== self.location.origin) return;
    if (!SHELL_PATH.test(url.pathname)) return;
    event.respondWith(networkFirst(request, event));
  });
}

async function networkFirst(request: Request, event: FetchEvent): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true });
    if (cached) return cached;
    // A navigation to any shell path (e.g. `/?tab=2`) gets the page itself.
    const page =
      request.mode === 'navigate' ? await caches.match('/', { cacheName: SHELL_CACHE }) : undefined;
    if (page) return page;
    throw error;
  }
}
