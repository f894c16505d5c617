/**
 * Vary (RFC 9111 §4.1): each combination of the nominated request headers is its own stored
 * variant; a request matching none is a `vary-miss` (it offers the stored variants' entity tags,
 * and a stored response in its first-choice language is selected); `Vary: *` never matches.
 */
import { expect, test } from './fixtures.ts';
import { apiUrl, sequenceUrl } from './helpers/api-url.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { expectNeverCached } from './helpers/never-cached.ts';
import { pageFetch } from './helpers/page-fetch.ts';

test('two Accept-Language variants are stored and served apart; a third is a vary-miss', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=60', vary: 'Accept-Language' });
  const inLanguage = (language: string) =>
    pageFetch(swPage, path, { init: { headers: { 'accept-language': language } } });

  const english = await inLanguage('en');
  expect(parseCacheStatus(english.headers['cache-status'])).toMatchObject({
    fwd: 'uri-miss',
    stored: true,
  });
  const french = await inLanguage('fr');
  expect(parseCacheStatus(french.headers['cache-status'])).toMatchObject({
    fwd: 'vary-miss',
    stored: true,
  });
  expect(french.bodyText).not.toBe(english.bodyText);

  const englishAgain = await inLanguage('en');
  const frenchAgain = await inLanguage('fr');
  expect(englishAgain.bodyText).toBe(english.bodyText);
  expect(frenchAgain.bodyText).toBe(french.bodyText);
  for (const hit of [englishAgain, frenchAgain]) {
    expect(hit.headers['vary']).toBe('Accept-Language');
    expect(parseCacheStatus(hit.headers['cache-status'])).toMatchObject({ hit: true });
  }

  const german = await inLanguage('de');
  expect(parseCacheStatus(german.headers['cache-status'])).toMatchObject({
    hit: false,
    fwd: 'vary-miss',
  });
  expect(german.bodyText).toBe(`origin response #3 for ${path}`);
  // The origin saw each language once, with the page's value.
  expect(origin.requests(path).map((request) => request.headers['accept-language'])).toEqual([
    'en',
    'fr',
    'de',
  ]);
});

test('a Vary: * response is never served from the cache', async ({ swPage, origin }) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=60', vary: '*' });
  await expectNeverCached(swPage, origin, path);
});

test('selecting values are normalised per field: Accept-Language case, spacing and order', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=60', vary: 'Accept-Language, X-Custom' });
  const ask = (language: string, custom: string) =>
    pageFetch(swPage, path, {
      init: { headers: { 'accept-language': language, 'x-custom': custom } },
    });

  const stored = await ask('en-US, fr;q=0.5, de;q=0.5', 'a, b');
  expect(parseCacheStatus(stored.headers['cache-status'])).toMatchObject({ stored: true });

  // The same preferences written differently select the stored variant.
  const same = await ask('DE;q=0.500 ,fr;q=0.5,en-us', 'a,b');
  expect(parseCacheStatus(same.headers['cache-status'])).toMatchObject({ hit: true });
  expect(same.bodyText).toBe(stored.bodyText);

  // Other weights are other preferences; a field without list semantics keeps its order.
  const reweighted = await ask('fr, en-US;q=0.5, de;q=0.5', 'a, b');
  expect(parseCacheStatus(reweighted.headers['cache-status']).hit).toBe(false);
  const reordered = await ask('en-US, fr;q=0.5, de;q=0.5', 'b, a');
  expect(parseCacheStatus(reordered.headers['cache-status']).hit).toBe(false);

  expect(origin.requests(path).map((request) => request.headers['accept-language'])).toEqual([
    'en-US, fr;q=0.5, de;q=0.5',
    'fr, en-US;q=0.5, de;q=0.5',
    'en-US, fr;q=0.5, de;q=0.5',
  ]);
});

test('a stored response in the language the request prefers most is selected without an exact match', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', {
    cc: 'max-age=60',
    vary: 'Accept-Language',
    h: 'content-language:fr',
  });
  const ask = (language: string) =>
    pageFetch(swPage, path, { init: { headers: { 'accept-language': language } } });

  const stored = await ask('fr-CH, fr;q=0.9');
  const french = await ask('fr, en;q=0.5');
  expect(parseCacheStatus(french.headers['cache-status'])).toMatchObject({ hit: true });
  expect(french.bodyText).toBe(stored.bodyText);

  // English first: the stored French response is not the best answer; the origin decides.
  const english = await ask('en, fr;q=0.5');
  expect(parseCacheStatus(english.headers['cache-status'])).toMatchObject({ fwd: 'vary-miss' });
  expect(origin.requests(path).map((request) => request.headers['accept-language'])).toEqual([
    'fr-CH, fr;q=0.9',
    'en, fr;q=0.5',
  ]);
});

test('the language selection looks at every stored variant, not only the first one stored', async ({
  swPage,
  origin,
}) => {
  const inLanguage = (language: string) => ({
    cc: 'max-age=60',
    vary: 'Accept-Language',
    h: `content-language:${language}`,
  });
  const path = sequenceUrl([inLanguage('en'), inLanguage('fr')]);
  const ask = (language: string) =>
    pageFetch(swPage, path, { init: { headers: { 'accept-language': language } } });

  await ask('en');
  const stored = await ask('fr');
  expect(stored.headers['content-language']).toBe('fr');
  const french = await ask('fr, en;q=0.5');
  expect(parseCacheStatus(french.headers['cache-status'])).toMatchObject({ hit: true });
  expect(french.bodyText).toBe(stored.bodyText);
  expect(origin.requests(path).map((request) => request.headers['accept-language'])).toEqual([
    'en',
    'fr',
  ]);
});

test('a vary-miss offers the stored variant’s entity tag; the origin’s 304 selects it', async ({
  swPage,
  origin,
}) => {
  const path = apiUrl('/api/resource', { cc: 'max-age=60', vary: 'Accept-Language', etag: 'v1' });
  const ask = (language: string) =>
    pageFetch(swPage, path, { init: { headers: { 'accept-language': language } } });

  const english = await ask('en');
  const german = await ask('de');
  expect(german.status).toBe(200);
  expect(german.bodyText).toBe(english.bodyText);
  expect(parseCacheStatus(german.headers['cache-status'])).toMatchObject({
    fwd: 'vary-miss',
    fwdStatus: 304,
    stored: true,
  });
  const requests = origin.requests(path);
  expect(requests.map((request) => request.headers['if-none-match'])).toEqual([undefined, '"v1"']);
  expect(requests[1]?.headers['accept-language']).toBe('de');

  // Now stored for German too.
  expect(parseCacheStatus((await ask('de')).headers['cache-status'])).toMatchObject({ hit: true });
  expect(origin.count(path)).toBe(2);
});

test('a vary-miss offers the tags of all stored variants; the 304 naming the second selects it', async ({
  swPage,
  origin,
}) => {
  // Three languages, three representations tagged v1, v2, v3; Italian gets the second one.
  const variant = (etag: string) => ({ cc: 'max-age=60', vary: 'Accept-Language', etag });
  const path = sequenceUrl([variant('v1'), variant('v2'), variant('v3'), variant('v2')]);
  const ask = (language: string) =>
    pageFetch(swPage, path, { init: { headers: { 'accept-language': language } } });

  await ask('en');
  const french = await ask('fr');
  await ask('de');
  const italian = await ask('it');
  expect(italian.status).toBe(200);
  expect(italian.bodyText).toBe(french.bodyText);
  expect(italian.headers['etag']).toBe('"v2"');
  expect(parseCacheStatus(italian.headers['cache-status'])).toMatchObject({
    fwd: 'vary-miss',
    fwdStatus: 304,
    stored: true,
  });
  const requests = origin.requests(path);
  expect(requests.map((request) => request.headers['accept-language'])).toEqual([
    'en',
    'fr',
    'de',
    'it',
  ]);
  // Each vary-miss offered every variant stored before it, newest first.
  expect(requests.map((request) => request.headers['if-none-match'])).toEqual([
    undefined,
    '"v1"',
    '"v2", "v1"',
    '"v3", "v2", "v1"',
  ]);

  const again = await ask('it');
  expect(parseCacheStatus(again.headers['cache-status'])).toMatchObject({ hit: true });
  expect(again.bodyText).toBe(french.bodyText);
  expect(origin.count(path)).toBe(4);
});
