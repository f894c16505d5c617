/**
 * The page side of sw-http-cache.
 */

export interface RegisterOptions {
  /** URL of the service worker script. Default `'/sw.js'`. */
  readonly scriptURL?: string;
  /** Registration scope. Default: the script's directory. */
  readonly scope?: string;
  /** Worker script type. Default `'classic'`. */
  readonly type?: WorkerType;
}

/**
 * Registers the worker and resolves once it controls this page, so the page's next fetches go
 * through the cache. Rejects with a clear error where service workers are unavailable (an
 * insecure origin, a private window that forbids them, an old browser).
 */
export async function registerHttpCache(
  options: RegisterOptions = {},
): Promise<ServiceWorkerRegistration> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    throw new Error(
      'sw-http-cache: service workers are not available here (they need a secure context: https or localhost)',
    );
  }
  const registration = await navigator.serviceWorker.register(options.scriptURL ?? '/sw.js', {
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    type: options.type ?? 'classic',
  });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    // The worker claims open clients when it activates; wait for that to reach this page.
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  }
  return registration;
}
