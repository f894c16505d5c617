/**
 * Cross-origin requests (DESIGN: "opaque cross-origin responses are not cached"): the default
 * routes take the worker's own origin only; a route the app writes may take another origin, and
 * then a readable (CORS) response is stored under its own full URL while an opaque one never is.
 * There is no option to store opaque responses. e2e: reliability-security-cross-origin.spec.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../core/http/index.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { resolveOptions } from './config.ts';
import type { FetchFlow } from './fetch-flow.ts';
import { Background, cacheStatusOf } from './testing/fake-origin.ts';
import { testFlow } from './testing/test-flow.ts';

const OWN = 'https://app.test';
const CDN = 'https://cdn.test';

let clock: ManualClock;
let storage: MemoryStorage;
let fetched: string[];
let responseType: ResponseType;

beforeEach(() => {
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  storage = new MemoryStorage();
  fetched = [];
  responseType = 'cors';
});

/** An origin answering every URL with its own name; `responseType` as the browser would set it. */
function answer(request: Request): Promise<Response> {
  fetched.push(request.url);
  const response = new Response(`${request.url} #${fetched.length}`, {
    headers: { date: formatHttpDate(clock.now), 'cache-control': 'max-age=60' },
  });
  Object.defineProperty(response, 'type', { value: responseType });
  return Promise.resolve(response);
}

function flow(): FetchFlow {
  return testFlow({ base: OWN, storage, fetch: answer, now: clock.read });
}

async function get(f: FetchFlow, url: string, init: RequestInit = {}) {
  const background = new Background();
  const response = await f.handle(new Request(url, init), background.waitUntil);
  const text = await response.text();
  await background.settle();
  return { text, status: cacheStatusOf(response) };
}

describe('routes', () => {
  it('match only the worker’s origin by default; a function route can take another', () => {
    const byDefault = resolveOptions({}, OWN);
    const request = (url: string) => new Request(url);
    expect(byDefault.matches(request(`${OWN}/a`), new URL(`${OWN}/a`))).toBe(true);
    expect(byDefault.matches(request(`${CDN}/a`), new URL(`${CDN}/a`))).toBe(false);
    const cdn = resolveOptions({ routes: (_r, url) => url.origin === CDN }, OWN);
    expect(cdn.matches(request(`${CDN}/a`), new URL(`${CDN}/a`))).toBe(true);
  });

  it('test a RegExp or anything with test() (a URLPattern) on the full URL', () => {
    const seen: string[] = [];
    const pattern = { test: (url: string) => (seen.push(url), url.endsWith('/api/x')) };
    const options = resolveOptions({ routes: [/\/static\//, pattern] }, OWN);
    const matches = (url: string) => options.matches(new Request(url), new URL(url));
    expect([matches(`${OWN}/static/a`), matches(`${OWN}/api/x`), matches(`${OWN}/b`)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(seen).toEqual([`${OWN}/api/x`, `${OWN}/b`]);
  });

  it('reject a route that is neither a pattern nor a function when the worker starts', () => {
    expect(() => resolveOptions({ routes: ['/api/' as never] }, OWN)).toThrow(
      /a route must be a RegExp, a URLPattern or a function, got "\/api\/"/,
    );
  });
});

describe('a routed cross-origin request', () => {
  it('never stores an opaque response', async () => {
    responseType = 'opaque';
    const f = flow();
    const first = await get(f, `${CDN}/lib.js`, { mode: 'no-cors' });
    const second = await get(f, `${CDN}/lib.js`, { mode: 'no-cors' });
    expect([first.text, second.text]).toEqual([`${CDN}/lib.js #1`, `${CDN}/lib.js #2`]);
    expect(fetched).toHaveLength(2);
    expect(await storage.lookup({ namespace: '', primary: `${CDN}/lib.js` })).toBeNull();
  });

  it('stores a CORS response under its full URL, never serving it for the same path elsewhere', async () => {
    const f = flow();
    expect((await get(f, `${CDN}/lib.js`)).status.stored).toBe(true);
    const hit = await get(f, `${CDN}/lib.js`);
    expect([hit.text, hit.status.hit]).toEqual([`${CDN}/lib.js #1`, true]);
    const own = await get(f, `${OWN}/lib.js`);
    expect(own.text).toBe(`${OWN}/lib.js #2`);
  });
});
