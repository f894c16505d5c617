/**
 * The handler with and without its optional features: what a worker script may call on it, and
 * the clear errors that say which feature a call needs.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// workbox-core reads the worker global when it is imported.
vi.hoisted(() => Object.assign(globalThis, { self: globalThis }));
import { controlEndpoint } from './control-endpoint.ts';
import { NO_CONTROL_ENDPOINT } from './control-refusal.ts';
import { HttpCacheHandler } from './handler.ts';
import { installHttpCache, type InstallOptions } from './install.ts';

let databases = 0;
const listeners: string[] = [];
const messageListeners: ((event: { data: unknown; ports: readonly unknown[] }) => void)[] = [];

beforeEach(() => {
  listeners.length = 0;
  messageListeners.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the deferred start-up work
  vi.stubGlobal('self', {
    location: { origin: 'https://app.test' },
    addEventListener: (type: string, listener: (typeof messageListeners)[number]) => {
      listeners.push(type);
      if (type === 'message') messageListeners.push(listener);
    },
  });
});

/** What the worker's message listeners post back on the port of a page's control hello. */
function replyToHello(): unknown[] {
  const port = { postMessage: vi.fn<(reply: unknown) => void>(), close: vi.fn() };
  const hello = { type: 'sw-http-cache:control', kind: 'hello', version: 1 };
  for (const listener of messageListeners) listener({ data: hello, ports: [port] });
  return port.postMessage.mock.calls.map(([reply]) => reply);
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const name = () => `handler-test-${++databases}`;

describe('HttpCacheHandler', () => {
  it('without controlEndpoint(): stats(), entries() and watchOutcomes() say to add it', async () => {
    const handler = new HttpCacheHandler({ name: name() });
    await expect(handler.stats()).rejects.toThrow(
      /stats\(\) needs the control endpoint: features: \[controlEndpoint\(\)\]/,
    );
    await expect(handler.entries()).rejects.toThrow(/entries\(\) needs the control endpoint/);
    expect(() => handler.watchOutcomes()).toThrow(/watchOutcomes\(\) needs the control endpoint/);
  });

  it('without controlEndpoint(): refuses the page client at once, as installHttpCache does', () => {
    // A Workbox app makes the handler itself: no installHttpCache to add the refusal.
    new HttpCacheHandler({ name: name() });
    expect(listeners).toEqual(['message']); // the refusal, and no control listener
    expect(replyToHello()).toEqual([
      expect.objectContaining({ kind: 'refused', error: NO_CONTROL_ENDPOINT }),
    ]);
  });

  it('leaves the page client to a handler of the same worker that has controlEndpoint()', () => {
    new HttpCacheHandler({ name: name() }); // before the one with the endpoint…
    new HttpCacheHandler({ name: name(), features: [controlEndpoint()] });
    new HttpCacheHandler({ name: name() }); // …and after it
    // The endpoint's own refusal (this hello comes from no window) is the only reply.
    const replies = replyToHello() as { kind: string; error: string }[];
    expect(replies.map((reply) => reply.kind)).toEqual(['refused']);
    expect(replies[0]?.error).toMatch(/only same-origin windows may control/);
  });

  it('without controlEndpoint(): purge() and clear() still work, and check their input', async () => {
    const handler = new HttpCacheHandler({ name: name() });
    await expect(handler.purge('/api/nothing')).resolves.toBe(0);
    expect(() => handler.purge({ tag: 42 } as never)).toThrow(TypeError);
    await expect(handler.clear()).resolves.toBeUndefined();
  });

  it('with controlEndpoint(): listens for the page client and answers stats()', async () => {
    const handler = new HttpCacheHandler({ name: name(), features: [controlEndpoint()] });
    expect(listeners).toEqual(['message']);
    const stats = await handler.stats();
    expect(stats).toMatchObject({ entries: 0, hits: 0, misses: 0 });
  });

  it('refuses anything in features that is not a feature', () => {
    expect(() => new HttpCacheHandler({ features: [{ name: 'mine' }] })).toThrow(
      /is not a feature: pass what controlEndpoint\(\)/,
    );
    expect(() => new HttpCacheHandler({ features: controlEndpoint() as never })).toThrow(
      /features must be an array/,
    );
  });
});

describe('installHttpCache', () => {
  it('names the replacement of the control option it no longer has', () => {
    const old = { control: true } as InstallOptions;
    expect(() => installHttpCache(old)).toThrow(/features: \[controlEndpoint\(\)\]/);
  });

  it('refuses the control client without controlEndpoint(), and only then', () => {
    // clientsClaim off: its listener for pages asking to be claimed is not counted here.
    installHttpCache({ name: name(), clientsClaim: false });
    expect(listeners.filter((type) => type === 'message')).toHaveLength(1); // the refusal
    listeners.length = 0;
    installHttpCache({ name: name(), clientsClaim: false, features: [controlEndpoint()] });
    expect(listeners.filter((type) => type === 'message')).toHaveLength(1); // the endpoint
  });
});
