/**
 * installHttpCache's part in the worker's lifecycle: the claim of open pages, at activation and
 * when a page asks for it (a page whose document was still loading at activation).
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// workbox-core reads the worker global when it is imported.
vi.hoisted(() => Object.assign(globalThis, { self: globalThis }));
import { installHttpCache } from './install.ts';

const ORIGIN = 'https://app.test';

class FakeWindowClient {}

type Listener = (event: object) => void;

let listeners: Map<string, Listener[]>;
let claim: ReturnType<typeof vi.fn<() => Promise<void>>>;
let databases = 0;

beforeEach(() => {
  listeners = new Map();
  claim = vi.fn(() => Promise.resolve());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the deferred start-up work
  vi.stubGlobal('WindowClient', FakeWindowClient);
  vi.stubGlobal('self', {
    location: { origin: ORIGIN },
    clients: { claim },
    skipWaiting: () => Promise.resolve(),
    addEventListener: (type: string, listener: Listener) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const install = (clientsClaim?: boolean) =>
  installHttpCache({ name: `install-test-${++databases}`, clientsClaim });

/**
 * Dispatches `event` to every listener of `type`; resolves with what the promises they handed to
 * `waitUntil` resolved to (one value per `waitUntil`).
 */
function dispatch(type: string, event: object): Promise<unknown[]> {
  const extended: Promise<unknown>[] = [];
  const waitUntil = (promise: Promise<unknown>) => void extended.push(promise);
  for (const listener of listeners.get(type) ?? []) listener({ ...event, waitUntil });
  return Promise.all(extended);
}

const claimRequest = (overrides: object = {}) => ({
  data: { type: 'sw-http-cache:claim' },
  origin: ORIGIN,
  source: new FakeWindowClient(),
  ports: [],
  ...overrides,
});

describe('installHttpCache: clientsClaim', () => {
  it('claims the open pages when the worker activates', async () => {
    install();
    await dispatch('activate', {});
    expect(claim).toHaveBeenCalledTimes(1);
  });

  it('claims again when a window of its origin asks, and keeps the worker alive until done', async () => {
    install();
    await expect(dispatch('message', claimRequest())).resolves.toHaveLength(1);
    expect(claim).toHaveBeenCalledTimes(1);
  });

  it('settles the request quietly when the worker may no longer claim', async () => {
    install();
    claim.mockRejectedValueOnce(new DOMException('not active', 'InvalidStateError'));
    await expect(dispatch('message', claimRequest())).resolves.toEqual([undefined]);
  });

  it('ignores requests from another origin, from workers, and other messages', async () => {
    install();
    for (const ignored of [
      claimRequest({ origin: 'https://other.test' }),
      claimRequest({ source: {} }),
      claimRequest({ data: { type: 'SKIP_WAITING' } }),
      claimRequest({ data: 'sw-http-cache:claim' }),
    ]) {
      await expect(dispatch('message', ignored)).resolves.toEqual([]);
    }
    expect(claim).not.toHaveBeenCalled();
  });

  it('with clientsClaim: false, claims neither at activation nor when asked', async () => {
    install(false);
    await dispatch('activate', {});
    await expect(dispatch('message', claimRequest())).resolves.toEqual([]);
    expect(claim).not.toHaveBeenCalled();
  });
});
