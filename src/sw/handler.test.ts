/**
 * The handler with and without its optional features: what a worker script may call on it, and
 * the clear errors that say which feature a call needs.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// workbox-core reads the worker global when it is imported.
vi.hoisted(() => Object.assign(globalThis, { self: globalThis }));
import { controlEndpoint } from './control-endpoint.ts';
import { HttpCacheHandler } from './handler.ts';
import { installHttpCache, type InstallOptions } from './install.ts';

let databases = 0;
const listeners: string[] = [];

beforeEach(() => {
  listeners.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the deferred start-up work
  vi.stubGlobal('self', {
    location: { origin: 'https://app.test' },
    addEventListener: (type: string) => listeners.push(type),
  });
});

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
    expect(listeners).toEqual([]); // no control listener, no message listener at all
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
    installHttpCache({ name: name() });
    expect(listeners.filter((type) => type === 'message')).toHaveLength(1); // the refusal
    listeners.length = 0;
    installHttpCache({ name: name(), features: [controlEndpoint()] });
    expect(listeners.filter((type) => type === 'message')).toHaveLength(1); // the endpoint
  });
});
