/**
 * Registering the worker and getting its control client in one call.
 */
import { HttpCacheClient, type ControlClientOptions } from './control-client.ts';

export interface RegisterOptions extends ControlClientOptions {
  /** URL of the service worker script. Default `'/sw.js'`. */
  readonly scriptURL?: string | URL;
  /** Registration scope. Default: the script's directory. */
  readonly scope?: string;
  /** Worker script type. Default `'classic'`. */
  readonly type?: WorkerType;
}

/**
 * Registers the worker, resolves once it controls this page (so the page's next fetches go
 * through the cache), and returns the control client. Rejects with a clear error where service
 * workers are unavailable (an insecure origin, a private window that forbids them, an old
 * browser). The connection to the worker opens on the first call of the client.
 */
export async function registerHttpCache(options: RegisterOptions = {}): Promise<HttpCacheClient> {
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
  return new HttpCacheClient(registration, options);
}
