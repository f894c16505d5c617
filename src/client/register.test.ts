/**
 * registerHttpCache and connectHttpCache against a scripted `navigator.serviceWorker`: which
 * registrations they make or reuse, and what their errors say when no worker takes control.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLAIM_MESSAGE, hasMessageType } from '../protocol/control-protocol.ts';
import { connectHttpCache, controlTimeoutMessage, registerHttpCache } from './register.ts';

const ORIGIN = 'https://app.test';

interface FakeWorker {
  scriptURL: string;
  state: 'activated' | 'redundant';
  postMessage: (message: unknown) => void;
}

interface FakeRegistration {
  scope: string;
  installing: FakeWorker | null;
  waiting: FakeWorker | null;
  active: FakeWorker | null;
}

/** A container whose `register` answers by `outcome(type)`: a registration, or an error. */
class FakeContainer extends EventTarget {
  controller: FakeWorker | null = null;
  registrations: FakeRegistration[] = [];
  calls: { url: string; type: string | undefined }[] = [];
  /**
   * What the worker does once registered: claim the page, or stay in some state (`'active'`: it
   * never claims; `'claim-when-asked'`: it claims only when the page asks, as when its own claim
   * at activation missed a page that was still loading).
   */
  after:
    'claim' | 'claim-before-active' | 'claim-when-asked' | 'waiting' | 'active' | 'installing' =
    'claim';
  /** What the page posted to each worker. */
  posted: { to: string; message: unknown }[] = [];
  failFor = new Set<string>();
  failWith: (type: string) => Error = (type) =>
    new TypeError(`ServiceWorker script evaluation failed (${type})`);
  #ready: (registration: FakeRegistration) => void = () => {};
  #readyLater = new Promise<FakeRegistration>((resolve) => (this.#ready = resolve));

  /** As in browsers: the page's registration once it has an active worker. */
  get ready(): Promise<FakeRegistration> {
    const active = this.registrations.find((registration) => registration.active !== null);
    return active ? Promise.resolve(active) : this.#readyLater;
  }

  register(url: string, options: { type?: string } = {}): Promise<FakeRegistration> {
    this.calls.push({ url, type: options.type });
    const type = options.type ?? 'classic';
    if (this.failFor.has(type)) return Promise.reject(this.failWith(type));
    const worker = this.worker(url);
    const activeAtOnce = ['claim', 'active', 'claim-when-asked'].includes(this.after);
    const registration: FakeRegistration = {
      scope: `${ORIGIN}/`,
      installing: this.after === 'installing' ? worker : null,
      waiting: this.after === 'waiting' ? worker : null,
      active: activeAtOnce ? worker : null,
    };
    if (this.after === 'waiting') registration.active = this.worker(`${ORIGIN}/old.js`);
    this.registrations.push(registration);
    if (registration.active) this.#ready(registration);
    if (this.after === 'claim') setTimeout(() => this.claim(worker), 1);
    if (this.after === 'claim-before-active') {
      // Firefox: the page is controlled a moment before the registration shows its active worker.
      setTimeout(() => this.claim(worker), 1);
      setTimeout(() => {
        registration.active = worker;
        this.#ready(registration);
      }, 20);
    }
    return Promise.resolve(registration);
  }

  /** A worker that records what it is posted, and claims the page when asked if it is told to. */
  worker(scriptURL: string): FakeWorker {
    const worker: FakeWorker = {
      scriptURL,
      state: 'activated',
      postMessage: (message) => {
        this.posted.push({ to: scriptURL, message });
        if (this.after === 'claim-when-asked' && hasMessageType(message, CLAIM_MESSAGE))
          this.claim(worker);
      },
    };
    return worker;
  }

  claim(worker: FakeWorker): void {
    this.controller = worker;
    this.dispatchEvent(new Event('controllerchange'));
  }

  getRegistrations(): Promise<FakeRegistration[]> {
    return Promise.resolve(this.registrations);
  }

  getRegistration(): Promise<FakeRegistration | undefined> {
    return Promise.resolve(this.registrations[0]);
  }
}

let container: FakeContainer;

beforeEach(() => {
  container = new FakeContainer();
  vi.stubGlobal('navigator', { serviceWorker: container });
  vi.stubGlobal('location', new URL(`${ORIGIN}/app/`));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('registerHttpCache', () => {
  it('registers a new worker as a classic script and resolves once it controls the page', async () => {
    const client = await registerHttpCache({ scriptURL: '/sw.js' });
    expect(container.calls).toEqual([{ url: `${ORIGIN}/sw.js`, type: 'classic' }]);
    expect(client.registration).toBe(container.registrations[0]);
    client.close();
  });

  it('tries a module when the script fails to evaluate as a classic script', async () => {
    container.failFor.add('classic');
    const client = await registerHttpCache({ scriptURL: 'sw.js' });
    expect(container.calls.map((call) => call.type)).toEqual(['classic', 'module']);
    expect(container.calls[1]?.url).toBe(`${ORIGIN}/app/sw.js`);
    client.close();
  });

  it('names both attempts when the script fails as a classic script and as a module', async () => {
    container.failFor.add('classic').add('module');
    await expect(registerHttpCache()).rejects.toThrow(
      /failed as a classic script \(TypeError: .*\(classic\)\) and as a module \(TypeError: .*\(module\)\)/,
    );
  });

  it('does not retry a registration the browser forbids', async () => {
    container.failFor.add('classic');
    container.failWith = () => new DOMException('insecure', 'SecurityError');
    await expect(registerHttpCache()).rejects.toThrow(/as a classic script failed: SecurityError/);
    expect(container.calls).toHaveLength(1);
  });

  it('resolves with the registration showing its active worker, even when control came first', async () => {
    container.after = 'claim-before-active';
    const client = await registerHttpCache({ scriptURL: '/sw.js' });
    expect(client.registration.active?.scriptURL).toBe(`${ORIGIN}/sw.js`);
    client.close();
  });

  it('keeps an existing registration of the same script, whatever its type, and asks nothing of the worker controlling the page', async () => {
    container.registrations.push({
      scope: `${ORIGIN}/`,
      installing: null,
      waiting: null,
      active: container.worker(`${ORIGIN}/sw.js`),
    });
    container.controller = container.worker(`${ORIGIN}/sw.js`);
    const client = await registerHttpCache({ scriptURL: '/sw.js' });
    expect(container.calls).toEqual([]);
    expect(client.registration).toBe(container.registrations[0]);
    expect(container.posted).toEqual([]);
    client.close();
  });

  it('registers with the type it is given, and says what to try when that fails', async () => {
    container.failFor.add('classic');
    await expect(registerHttpCache({ type: 'classic' })).rejects.toThrow(/type: 'module'/);
    expect(container.calls).toEqual([{ url: `${ORIGIN}/sw.js`, type: 'classic' }]);
  });

  it('rejects after timeout naming a waiting worker', async () => {
    container.after = 'waiting';
    await expect(registerHttpCache({ timeout: 20 })).rejects.toThrow(
      /after 20 ms: a new worker .* is waiting to activate.*SKIP_WAITING/,
    );
  });

  it('rejects after timeout naming a missing clients.claim()', async () => {
    container.after = 'active';
    await expect(registerHttpCache({ timeout: 20 })).rejects.toThrow(
      /active but has not claimed this page, even when asked.*clients\.claim\(\)/,
    );
  });

  it('asks an active worker that missed the page to claim it', async () => {
    container.after = 'claim-when-asked';
    const client = await registerHttpCache({ scriptURL: '/sw.js' });
    expect(container.posted).toEqual([
      { to: `${ORIGIN}/sw.js`, message: { type: 'sw-http-cache:claim' } },
    ]);
    expect(container.controller?.scriptURL).toBe(`${ORIGIN}/sw.js`);
    client.close();
  });

  it('rejects a timeout that is not a positive number', async () => {
    await expect(registerHttpCache({ timeout: 0 })).rejects.toThrow(RangeError);
    expect(container.calls).toEqual([]);
  });
});

describe('connectHttpCache', () => {
  it("uses the app's own registration without registering", async () => {
    const app = container.register(`${ORIGIN}/sw.js`, { type: 'module' });
    container.calls = [];
    const client = await connectHttpCache();
    expect(container.calls).toEqual([]);
    expect(client.registration).toBe(await app);
    client.close();
  });

  it('asks the active worker of a page it does not control to claim it', async () => {
    container.after = 'claim-when-asked';
    const app = container.register(`${ORIGIN}/sw.js`);
    const client = await connectHttpCache({ timeout: 1_000 });
    expect(client.registration).toBe(await app);
    expect(container.posted.map(({ message }) => message)).toEqual([
      { type: 'sw-http-cache:claim' },
    ]);
    client.close();
  });

  it('asks for a claim when the page is left with a redundant controller', async () => {
    container.after = 'claim-when-asked';
    const app = await container.register(`${ORIGIN}/sw.js`);
    // Firefox: the old worker stays the controller of a page that loaded while the new one
    // activated, and is redundant: the page's fetches go to the network.
    container.controller = { ...container.worker(`${ORIGIN}/old.js`), state: 'redundant' };
    const client = await connectHttpCache({ timeout: 1_000 });
    expect(container.posted).toEqual([
      { to: `${ORIGIN}/sw.js`, message: { type: 'sw-http-cache:claim' } },
    ]);
    expect(container.controller).toBe(app.active);
    client.close();
  });

  it('says to register a worker first when the page has none', async () => {
    await expect(connectHttpCache({ timeout: 20 })).rejects.toThrow(
      /no service worker is registered for this page after 20 ms: register one first/,
    );
  });

  it('names the state of a registration that never activates', async () => {
    container.after = 'installing';
    void container.register(`${ORIGIN}/sw.js`);
    await expect(connectHttpCache({ timeout: 20 })).rejects.toThrow(/still installing/);
  });
});

describe('controlTimeoutMessage', () => {
  it('blames the script when the registration has no worker', () => {
    const registration = { scope: `${ORIGIN}/`, installing: null, waiting: null, active: null };
    expect(controlTimeoutMessage(registration, 5)).toMatch(/failed to install/);
  });
});
