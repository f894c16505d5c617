/**
 * Registering the worker (or finding the one the app registered) and getting its control client
 * in one call.
 */
import { CLAIM_MESSAGE } from '../protocol/control-protocol.ts';
import { HttpCacheClient, type ControlClientOptions } from './control-client.ts';

export interface ConnectOptions extends ControlClientOptions {
  /**
   * How long the page waits for a worker to control it, and one attempt of a client call may
   * take, in ms. Default 5,000.
   */
  readonly timeout?: number;
}

export interface RegisterOptions extends ConnectOptions {
  /** URL of the service worker script. Default `'/sw.js'`. */
  readonly scriptURL?: string | URL;
  /** Registration scope. Default: the script's directory. */
  readonly scope?: string;
  /**
   * Worker script type. Default: the type the script evaluates as — an existing registration of
   * the same script is reused as it is; a new one is tried as `'classic'`, then as `'module'`.
   */
  readonly type?: WorkerType;
}

const DEFAULT_TIMEOUT = 5_000;

/**
 * Registers the worker, resolves once it controls this page (so the page's next fetches go
 * through the cache), and returns the control client. Rejects with a clear error where service
 * workers are unavailable (an insecure origin, a private window that forbids them, an old
 * browser), when the script fails to evaluate, and when no worker controls the page within
 * `timeout` (the error names the likely cause). The connection to the worker opens on the first
 * call of the client.
 */
export async function registerHttpCache(options: RegisterOptions = {}): Promise<HttpCacheClient> {
  const container = serviceWorkers();
  const timeout = checkTimeout(options.timeout);
  const registration = await registerWorker(container, options);
  await awaitControl(container, registration, timeout);
  // Controlled now, but Firefox can report the controller before this registration object shows
  // its active worker: `ready` settles once it does.
  return new HttpCacheClient(await container.ready, options);
}

/**
 * For a worker the app registers itself (vite-plugin-pwa's `registerSW`, workbox-window): does
 * not register anything; waits up to `timeout` for this page's registration to have an active
 * worker that controls the page, and returns the control client.
 */
export async function connectHttpCache(options: ConnectOptions = {}): Promise<HttpCacheClient> {
  const container = serviceWorkers();
  const timeout = checkTimeout(options.timeout);
  const registration = await withDeadline(container.ready, timeout, async () => {
    const existing = await container.getRegistration();
    return existing === undefined
      ? `no service worker is registered for this page after ${timeout} ms: register one first ` +
          '(registerSW from virtual:pwa-register, workbox-window) or call registerHttpCache(); ' +
          'under vite dev, vite-plugin-pwa registers one only with devOptions: { enabled: true }; ' +
          'if the app does register one, its script may have failed to evaluate (see the ' +
          "browser's console: a module script needs type: 'module')"
      : controlTimeoutMessage(existing, timeout);
  });
  await awaitControl(container, registration, timeout);
  return new HttpCacheClient(registration, options);
}

function serviceWorkers(): ServiceWorkerContainer {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    throw new Error(
      'sw-http-cache: service workers are not available here (they need a secure context: https or localhost)',
    );
  }
  return navigator.serviceWorker;
}

function checkTimeout(timeout: number | undefined): number {
  const value = timeout ?? DEFAULT_TIMEOUT;
  if (!(value > 0)) throw new RangeError('sw-http-cache: timeout must be a positive number of ms');
  return value;
}

/**
 * The registration of `options.scriptURL`. Without a `type`, an existing registration of that
 * script is kept as it is (registering it again with another type would replace a working module
 * worker by a failing classic one), and a new one is tried as a classic script, then as a module:
 * a script with `import` statements fails to evaluate as classic.
 */
async function registerWorker(
  container: ServiceWorkerContainer,
  options: RegisterOptions,
): Promise<ServiceWorkerRegistration> {
  const scriptURL = new URL(options.scriptURL ?? '/sw.js', location.href).href;
  const scope = options.scope === undefined ? {} : { scope: options.scope };
  if (options.type !== undefined) {
    return register(container, scriptURL, { ...scope, type: options.type });
  }
  const existing = (await container.getRegistrations()).find(
    (registration) =>
      newestWorker(registration)?.scriptURL === scriptURL &&
      (options.scope === undefined ||
        registration.scope === new URL(options.scope, location.href).href),
  );
  if (existing !== undefined) return existing;
  try {
    return await container.register(scriptURL, { ...scope, type: 'classic' });
  } catch (classicError) {
    if (isSecurityError(classicError)) throw registrationError(scriptURL, 'classic', classicError);
    try {
      return await container.register(scriptURL, { ...scope, type: 'module' });
    } catch (moduleError) {
      throw new Error(
        `sw-http-cache: registering ${scriptURL} failed as a classic script ` +
          `(${describe(classicError)}) and as a module (${describe(moduleError)}): ` +
          'the script is missing, is not JavaScript, or throws while it is evaluated ' +
          "(see the worker's console)",
        { cause: moduleError },
      );
    }
  }
}

async function register(
  container: ServiceWorkerContainer,
  scriptURL: string,
  options: RegistrationOptions & { type: WorkerType },
): Promise<ServiceWorkerRegistration> {
  try {
    return await container.register(scriptURL, options);
  } catch (error) {
    throw registrationError(scriptURL, options.type, error);
  }
}

function registrationError(scriptURL: string, type: WorkerType, error: unknown): Error {
  const hint =
    type === 'classic'
      ? "; if it is an ES module (import statements, vite-plugin-pwa's injectManifest with rollupFormat 'es' in dev mode), leave type unset or pass type: 'module'"
      : '';
  return new Error(
    `sw-http-cache: registering ${scriptURL} as a ${type} script failed: ${describe(error)}${hint}`,
    { cause: error },
  );
}

function isSecurityError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'SecurityError';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function newestWorker(registration: ServiceWorkerRegistration): ServiceWorker | null {
  return registration.installing ?? registration.waiting ?? registration.active;
}

/** Resolves once a worker controls this page; rejects after `timeout` ms, naming the likely cause. */
async function awaitControl(
  container: ServiceWorkerContainer,
  registration: ServiceWorkerRegistration,
  timeout: number,
): Promise<void> {
  if (controlledByLiveWorker(container)) return;
  const controlled = new Promise<void>((resolve) => {
    const onChange = (): void => {
      if (!controlledByLiveWorker(container)) return;
      container.removeEventListener('controllerchange', onChange);
      resolve();
    };
    container.addEventListener('controllerchange', onChange);
    // The change may have happened between the check above and the listener.
    onChange();
  });
  askToBeClaimed(container);
  await withDeadline(controlled, timeout, () =>
    Promise.resolve(controlTimeoutMessage(registration, timeout)),
  );
}

/**
 * Asks the worker that is (or becomes) active for this page to claim it. Its own claim at
 * activation skips a page whose document was still loading, such as a reload that raced the
 * first install (vite dev reloads the page when it first bundles the app's dependencies):
 * without this, that page stays uncontrolled until the next navigation.
 */
function askToBeClaimed(container: ServiceWorkerContainer): void {
  void container.ready.then((registration) => {
    if (!controlledByLiveWorker(container)) {
      registration.active?.postMessage({ type: CLAIM_MESSAGE });
    }
  });
}

/**
 * Whether a worker that still runs controls this page. Firefox can leave a page whose document
 * loaded while a new worker activated with the old, now redundant, worker as its controller:
 * its fetches then go to the network, as if uncontrolled.
 */
function controlledByLiveWorker(container: ServiceWorkerContainer): boolean {
  const controller = container.controller;
  return controller !== null && controller.state !== 'redundant';
}

/** Why a registration's worker does not control the page yet, by the state it is in. */
export function controlTimeoutMessage(
  registration: Pick<ServiceWorkerRegistration, 'installing' | 'waiting' | 'active' | 'scope'>,
  timeout: number,
): string {
  const prefix = `no service worker controls this page after ${timeout} ms`;
  if (registration.installing) {
    return `${prefix}: the worker of ${registration.scope} is still installing (a long precache, or an install handler that does not settle)`;
  }
  if (registration.waiting) {
    return (
      `${prefix}: a new worker of ${registration.scope} is waiting to activate. It activates when ` +
      "every tab of the old one is closed, or when a page posts { type: 'SKIP_WAITING' } to it " +
      "(installHttpCache's skipWaiting: 'message', workbox-window's messageSkipWaiting()); with " +
      'skipWaiting: true it activates at once'
    );
  }
  if (registration.active) {
    return (
      `${prefix}: the worker of ${registration.scope} is active but has not claimed this page, ` +
      'even when asked. It must call clients.claim() (installHttpCache with clientsClaim: true ' +
      "claims at activation and when a page asks; workbox-core's clientsClaim() only at " +
      'activation), or the page must be reloaded; a hard reload (Shift+Reload) bypasses ' +
      'service workers'
    );
  }
  return `${prefix}: the registration of ${registration.scope} has no worker (its script failed to install: see the worker's console)`;
}

/** `promise`, or a rejection with `message()` once `timeout` ms have passed. */
function withDeadline<T>(
  promise: Promise<T>,
  timeout: number,
  message: () => Promise<string>,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      message().then(
        (text) => reject(new Error(`sw-http-cache: ${text}`)),
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    }, timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
