import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatHttpDate, varianceHash } from '../core/http/index.ts';
import type { CacheKey } from '../core/key.ts';
import type { Storage } from '../core/storage.ts';
import { ManualClock } from '../core/testing/fakes.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { bareStorage } from '../storage/testing/support.ts';
import type { FetchFlow } from './fetch-flow.ts';
import { Background, cacheStatusOf, FakeOrigin } from './testing/fake-origin.ts';
import { testFlow } from './testing/test-flow.ts';

const ORIGIN = 'https://app.test';

let origin: FakeOrigin;
let clock: ManualClock;
let background: Background;
let storage: MemoryStorage;

beforeEach(() => {
  origin = new FakeOrigin();
  clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  background = new Background();
  storage = new MemoryStorage();
});

function flow(store: Storage = storage, log: (...args: unknown[]) => void = () => undefined) {
  return testFlow({
    base: ORIGIN,
    storage: Object.assign(store, { clear: () => storage.clear() }),
    fetch: origin.fetch,
    now: clock.read,
    log,
  });
}

/** Asks for `path` in `language`, a second after the previous request. */
async function ask(f: FetchFlow, path: string, language: string) {
  clock.advance(1000);
  const request = new Request(ORIGIN + path, { headers: { 'accept-language': language } });
  const response = await f.handle(request, background.waitUntil);
  const text = await response.text();
  await background.settle();
  return { response, text, status: cacheStatusOf(response) };
}

/**
 * An origin with a representation per language, tagged `"<language>"`; Italian gets the French
 * one. An `If-None-Match` naming the representation it chose gets a 304 naming it; otherwise,
 * or when `notModified` says so, it answers as told.
 */
function taggedOrigin(path: string, notModified?: (chosen: string) => string) {
  origin.route(path, (request, n) => {
    const headers = {
      date: formatHttpDate(clock.now),
      'cache-control': 'max-age=600',
      vary: 'Accept-Language',
    };
    const asked = request.headers.get('accept-language') ?? '';
    const chosen = asked === 'it' ? 'fr' : asked;
    const offer = request.headers.get('if-none-match');
    const named = notModified?.(chosen) ?? (offer?.includes(`"${chosen}"`) ? chosen : undefined);
    if (offer !== null && named !== undefined) {
      return new Response(null, { status: 304, headers: { ...headers, etag: `"${named}"` } });
    }
    return new Response(`${chosen} #${n}`, { headers: { ...headers, etag: `"${chosen}"` } });
  });
}

/** The tags the origin was offered in each request to `path`. */
function offered(path: string): (string | null)[] {
  return origin.requests
    .filter((r) => new URL(r.url).pathname === path)
    .map((r) => r.headers.get('if-none-match'));
}

function variantKey(path: string, language: string): CacheKey {
  const variance = varianceHash(['accept-language'], new Headers({ 'accept-language': language }));
  return { namespace: '', primary: ORIGIN + path, variance };
}

describe('a vary-miss offers every stored variant’s tag (RFC 9111 §4.3.1, §4.3.4)', () => {
  it('sends the tags of all stored variants, newest first; the 304 selects the one it names', async () => {
    taggedOrigin('/three');
    const f = flow();
    for (const language of ['en', 'fr', 'de']) await ask(f, '/three', language);
    const italian = await ask(f, '/three', 'it');
    expect(offered('/three')).toEqual([null, '"en"', '"fr", "en"', '"de", "fr", "en"']);
    expect(italian.text).toBe('fr #2');
    expect(italian.response.status).toBe(200);
    expect(italian.response.headers.get('etag')).toBe('"fr"');
    expect(italian.status).toMatchObject({ fwd: 'vary-miss', 'fwd-status': '304', stored: true });
    // Stored for Italian now; the others are kept.
    expect((await ask(f, '/three', 'it')).status).toMatchObject({ hit: true });
    expect((await ask(f, '/three', 'en')).text).toBe('en #1');
    expect(origin.count('/three')).toBe(4);
  });

  it('a 304 naming none of them is followed by a plain request', async () => {
    taggedOrigin('/none', () => 'gone');
    const f = flow();
    await ask(f, '/none', 'en');
    const german = await ask(f, '/none', 'de');
    expect(german.text).toBe('de #3');
    expect(offered('/none')).toEqual([null, '"en"', null]);
  });

  it('a variant purged between the offer and the 304 is not served: a plain request follows', async () => {
    taggedOrigin('/purged');
    const f = flow();
    await ask(f, '/purged', 'en');
    await ask(f, '/purged', 'fr');
    const answer = origin.fetch;
    const purging = vi.fn(async (request: Request) => {
      await storage.purge(variantKey('/purged', 'fr'), 'invalidation');
      return answer(request);
    });
    const f2 = testFlow({
      base: ORIGIN,
      storage,
      fetch: purging,
      now: clock.read,
    });
    const italian = await ask(f2, '/purged', 'it');
    expect(italian.text).toBe('fr #4');
    expect(offered('/purged')).toEqual([null, '"en"', '"fr", "en"', null]);
  });

  it('variants stored before the primary slot’s response are not offered (its tombstone)', async () => {
    taggedOrigin('/tomb');
    const f = flow();
    await ask(f, '/tomb', 'en');
    await ask(f, '/tomb', 'fr');
    // A reload stores English again in the primary slot: the French variant is older now.
    clock.advance(1000);
    const reload = new Request(`${ORIGIN}/tomb`, {
      headers: { 'accept-language': 'en' },
      cache: 'reload',
    });
    await (await f.handle(reload, background.waitUntil)).text();
    await background.settle();
    await ask(f, '/tomb', 'de');
    expect(offered('/tomb')).toEqual([null, '"en"', null, '"en"']);
  });

  it('a storage that cannot list its variants offers its primary slot’s tag, as before', async () => {
    taggedOrigin('/bare');
    const f = flow(bareStorage(storage));
    await ask(f, '/bare', 'en');
    await ask(f, '/bare', 'fr');
    await ask(f, '/bare', 'de');
    expect(offered('/bare')).toEqual([null, '"en"', '"en"']);
  });

  it('a listing that fails offers the primary slot’s tag and says why', async () => {
    taggedOrigin('/fails');
    const log = vi.fn();
    const f = flow(storage, log);
    await ask(f, '/fails', 'en');
    await ask(f, '/fails', 'fr');
    vi.spyOn(storage, 'listVariants').mockRejectedValue(new Error('broken'));
    await ask(f, '/fails', 'de');
    expect(offered('/fails')).toEqual([null, '"en"', '"en"']);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/could not list/), expect.any(Error));
  });
});

describe('Content-Language selection looks at every stored variant (RFC 9111 §4.1)', () => {
  it('selects a variant stored after the primary slot’s when it is in the first-choice language', async () => {
    origin.route('/lang', (request, n) => {
      const language = (request.headers.get('accept-language') ?? '').slice(0, 2);
      return new Response(`${language} #${n}`, {
        headers: {
          date: formatHttpDate(clock.now),
          'cache-control': 'max-age=600',
          vary: 'Accept-Language',
          'content-language': language,
        },
      });
    });
    const f = flow();
    await ask(f, '/lang', 'fr');
    await ask(f, '/lang', 'de-AT');
    await ask(f, '/lang', 'en');
    const german = await ask(f, '/lang', 'de, en;q=0.5');
    expect(german.text).toBe('de #2');
    expect(german.status).toMatchObject({ hit: true });
    const english = await ask(f, '/lang', 'en-GB, en;q=0.9');
    expect(english.status).toMatchObject({ fwd: 'vary-miss' });
    expect(origin.count('/lang')).toBe(4);
  });
});
