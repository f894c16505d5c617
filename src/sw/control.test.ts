import { wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlApi } from '../protocol/control-protocol.ts';
import type { CacheMeta } from '../core/meta.ts';
import type { StoredEntryInfo } from '../storage/index.ts';
import {
  comlinkCallError,
  connectionError,
  controlledCache,
  createControlApi,
  groupByUrl,
  guardedEndpoint,
  type CacheParts,
} from './control.ts';
import type { RequestOutcome } from './stats.ts';
import { helloMessage } from '../protocol/control-protocol.ts';

const ORIGIN = 'https://app.example';

interface StoredOverrides {
  readonly key?: StoredEntryInfo['key'];
  readonly size?: number;
  readonly lastAccess?: number;
  readonly meta?: Partial<CacheMeta>;
}

function stored(url: string, extra: StoredOverrides = {}): StoredEntryInfo {
  return {
    key: { namespace: '', primary: url, variance: undefined },
    size: extra.size ?? 10,
    lastAccess: extra.lastAccess ?? 1,
    meta: { status: 200, updated: 1, freshUntil: 2_000, tags: [], ...extra.meta } as CacheMeta,
    ...(extra.key ? { key: extra.key } : {}),
  };
}

function fakeCache(entries: StoredEntryInfo[] = []) {
  const calls: string[] = [];
  let debug = false;
  const parts: CacheParts = {
    stats: {
      totals: () => ({ hits: 3, misses: 1, stale: 0, uncached: 0 }),
      hitRatio: () => 0.75,
      savedBytes: () => 40,
      storeFailures: () => ({ upstream: 1, storage: 2 }),
      reset: () => void calls.push('reset'),
      lastOutcome: (url) =>
        url === `${ORIGIN}/a` ? ({ phase: 'hit' } as unknown as RequestOutcome) : undefined,
    },
    runtime: {
      ready: Promise.resolve(),
      eviction: { stats: () => ({ entries: 2, bytes: 30, maxBytes: 1000, maxEntries: 5 }) },
      listEntries: () => Promise.resolve(entries),
      purgeUrl: (url) => (calls.push(`url ${url}`), Promise.resolve(1)),
      purgePrefix: (prefix) => (calls.push(`prefix ${prefix}`), Promise.resolve(2)),
      purgeTag: (tag) => (calls.push(`tag ${tag}`), Promise.resolve(3)),
      clear: () => (calls.push('clear'), Promise.resolve()),
    },
    writes: { list: () => [] },
    outcomes: { watch: () => void calls.push('watch') },
    setDebug: (on) => {
      debug = on;
    },
  };
  return { cache: controlledCache(parts, ORIGIN), calls, debug: () => debug };
}

describe('createControlApi', () => {
  it('reports stats from the eviction manager and the request counts', async () => {
    const api = createControlApi(fakeCache().cache);
    expect(await api.stats()).toEqual({
      entries: 2,
      bytes: 30,
      hits: 3,
      misses: 1,
      stale: 0,
      uncached: 0,
      hitRatio: 0.75,
      savedBytes: 40,
      upstreamFailures: 1,
      storageFailures: 2,
      budget: { maxBytes: 1000, maxEntries: 5 },
    });
  });

  it('resets the counts after clearing, and passes outcome leases on', async () => {
    const { cache, calls } = fakeCache();
    const api = createControlApi(cache);
    await api.clear();
    await api.watchOutcomes();
    expect(calls).toEqual(['clear', 'reset', 'watch']);
  });

  it('routes each purge target, resolving relative URLs against the origin', async () => {
    const { cache, calls } = fakeCache();
    const api = createControlApi(cache);
    expect(await api.purge({ url: '/a' })).toBe(1); // already resolved by the page
    await expect(api.purge('/b' as never)).resolves.toBe(1);
    await expect(api.purge({ prefix: '/api/' })).resolves.toBe(2);
    await expect(api.purge({ tag: 'x' })).resolves.toBe(3);
    expect(calls).toEqual([
      'url https://app.example/a',
      'url https://app.example/b',
      'prefix https://app.example/api/',
      'tag x',
    ]);
  });

  it('refuses bad arguments with a clear error and calls nothing', async () => {
    const { cache, calls, debug } = fakeCache();
    const api = createControlApi(cache);
    expect(() => api.purge(7 as never)).toThrow(/purge\(\) expects/);
    expect(() => api.setDebug('on' as never)).toThrow(/setDebug\(\) expects true or false/);
    expect(calls).toEqual([]);
    await api.setDebug(true);
    expect(debug()).toBe(true);
  });
});

describe('groupByUrl', () => {
  it('says how much of a partial entry is stored', () => {
    const [partial, whole] = groupByUrl(
      [stored(`${ORIGIN}/video`, { size: 40 }), stored(`${ORIGIN}/b`)].map((entry, i) =>
        i === 0 ? { ...entry, length: 100 } : entry,
      ),
      1_000,
      () => undefined,
    );
    expect(partial).toMatchObject({ size: 40, partial: { length: 100 } });
    expect(whole).not.toHaveProperty('partial');
  });

  it('groups variants under their URL, with the latest variant status and the last phase', () => {
    const rows = groupByUrl(
      [
        stored(`${ORIGIN}/a`, { size: 5, lastAccess: 10, meta: { updated: 1, status: 200 } }),
        stored(`${ORIGIN}/a`, {
          key: { namespace: '', primary: `${ORIGIN}/a`, variance: 'v2' },
          size: 7,
          lastAccess: 4,
          meta: { updated: 2, status: 203, freshUntil: 500, tags: ['t'] },
        }),
        stored(`${ORIGIN}/b`, { meta: { freshUntil: 5_000 } }),
      ],
      1_000,
      (url) => (url === `${ORIGIN}/a` ? ({ phase: 'hit' } as RequestOutcome) : undefined),
    );
    expect(rows).toEqual([
      {
        url: `${ORIGIN}/a`,
        size: 12,
        status: 203,
        freshUntil: 500,
        fresh: false,
        lastAccess: 10,
        variants: 2,
        tags: ['t'],
        lastPhase: 'hit',
        writing: false,
        bytesWritten: 0,
        expectedBytes: null,
        readers: 0,
      },
      {
        url: `${ORIGIN}/b`,
        size: 10,
        status: 200,
        freshUntil: 5_000,
        fresh: true,
        lastAccess: 1,
        variants: 1,
        tags: [],
        writing: false,
        bytesWritten: 0,
        expectedBytes: null,
        readers: 0,
      },
    ]);
  });

  it('reports writes in progress, never fresh, whether something is stored for the URL or not', () => {
    const write = (url: string) => ({
      url,
      status: 200,
      freshUntil: 60_000,
      tags: ['w'],
      started: 900,
      bytesWritten: 3,
      expectedBytes: 10,
      readers: 2,
    });
    const rows = groupByUrl(
      [stored(`${ORIGIN}/a`, { meta: { freshUntil: 5_000 } })],
      1_000,
      () => undefined,
      [write(`${ORIGIN}/a`), write(`${ORIGIN}/new`)],
    );
    const progress = {
      size: 3,
      fresh: false,
      freshUntil: 60_000,
      writing: true,
      bytesWritten: 3,
      expectedBytes: 10,
      readers: 2,
    };
    expect(rows).toEqual([
      expect.objectContaining({ url: `${ORIGIN}/a`, variants: 1, ...progress }),
      expect.objectContaining({ url: `${ORIGIN}/new`, tags: ['w'], lastAccess: 900, ...progress }),
    ]);
  });
});

describe('comlinkCallError', () => {
  it('accepts calls of the API methods with plain arguments, and release', () => {
    expect(comlinkCallError({ id: '1', type: 'APPLY', path: ['stats'], argumentList: [] })).toBe(
      null,
    );
    expect(
      comlinkCallError({
        id: '1',
        type: 'APPLY',
        path: ['purge'],
        argumentList: [{ type: 'RAW', value: { url: 'x' } }],
      }),
    ).toBe(null);
    expect(comlinkCallError({ id: '1', type: 'RELEASE', path: [] })).toBe(null);
  });

  it.each([
    [null, /must be an object/],
    ['APPLY', /must be an object/],
    [{ type: 'GET', path: ['stats'] }, /unsupported control message type "GET"/],
    [{ type: 'SET', path: ['x'] }, /unsupported/],
    [{ type: 'CONSTRUCT', path: ['stats'] }, /unsupported/],
    [{ type: 'ENDPOINT' }, /unsupported/],
    [{ type: 'APPLY', path: ['constructor'] }, /unknown control method/],
    [{ type: 'APPLY', path: ['stats', 'constructor'] }, /unknown control method/],
    [{ type: 'APPLY', path: 'stats' }, /unknown control method/],
    [{ type: 'APPLY', path: ['purge'], argumentList: 'x' }, /argumentList must be an array/],
    [{ type: 'APPLY', path: ['purge'], argumentList: [null] }, /malformed argument/],
    [
      { type: 'APPLY', path: ['purge'], argumentList: [{ type: 'HANDLER', name: 'proxy' }] },
      /plain values/,
    ],
  ])('refuses %o', (data, message) => {
    expect(comlinkCallError(data)).toMatch(message);
  });
});

describe('connectionError', () => {
  const port = {} as MessagePort;
  it('accepts a same-origin window with one port and the current hello', () => {
    expect(connectionError(helloMessage(), [port], true)).toBeNull();
  });
  it('refuses other contexts, missing ports and other versions', () => {
    expect(connectionError(helloMessage(), [port], false)).toMatch(/same-origin windows/);
    expect(connectionError(helloMessage(), [], true)).toMatch(/exactly one MessagePort/);
    expect(connectionError({ ...helloMessage(), version: 2 }, [port], true)).toMatch(
      /unsupported control protocol version 2/,
    );
  });
});

describe('over a real MessageChannel with comlink', () => {
  const channels: MessageChannel[] = [];
  afterEach(() => {
    for (const { port1, port2 } of channels.splice(0)) {
      port1.close();
      port2.close();
    }
  });

  async function connected() {
    const { expose } = await import('comlink');
    const channel = new MessageChannel();
    channels.push(channel);
    const refused: string[] = [];
    const fake = fakeCache([stored(`${ORIGIN}/a`)]);
    expose(
      createControlApi(fake.cache),
      guardedEndpoint(channel.port2, (message) => refused.push(message)),
    );
    return { channel, refused, fake, api: wrap<ControlApi>(channel.port1) };
  }

  it('answers calls and turns bad arguments into rejected promises', async () => {
    const { api, fake } = await connected();
    expect((await api.stats()).hitRatio).toBe(0.75);
    expect(await api.entries()).toHaveLength(1);
    await expect(api.purge(5 as never)).rejects.toThrow(/purge\(\) expects a URL string/);
    await expect(api.setDebug(null as never)).rejects.toThrow(/expects true or false/);
    expect(fake.calls).toEqual([]);
  });

  it('answers a malformed message with an error reply and keeps serving', async () => {
    const { api, channel, refused } = await connected();
    const reply = new Promise<unknown>((resolve) => {
      channel.port1.addEventListener('message', (event) => {
        if ((event.data as { id?: string }).id === 'evil') resolve(event.data);
      });
    });
    channel.port1.postMessage({ id: 'evil', type: 'GET', path: ['stats', 'constructor'] });
    channel.port1.postMessage({ type: 'APPLY', path: ['nope'], argumentList: 'x' }); // no id
    expect(await reply).toMatchObject({
      type: 'HANDLER',
      name: 'throw',
      value: { isError: true, value: { message: expect.stringMatching(/unsupported/) as string } },
    });
    expect((await api.stats()).entries).toBe(2);
    expect(refused).toHaveLength(2);
  });
});
