import { describe, expect, it } from 'vitest';
import { toHeaders } from '../testing/headers.ts';
import { getHeader } from '../meta.ts';
import type { HeaderList } from '../meta.ts';
import { NoCacheReason } from '../phase.ts';
import { ttl } from './age.ts';
import { isReusablePostResponse, responseCacheability } from './cacheability.ts';
import type { Cacheability, CacheabilityOptions } from './cacheability.ts';
import cases from './storability-cases.json';

/** Mon, 15 Jan 2024 12:00:00 GMT: every case is evaluated at this fixed instant. */
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const URL_ = 'https://example.test/a';

function headersOf(pairs: readonly (readonly string[])[]): Headers {
  const headers = new Headers();
  for (const [name, value] of pairs) headers.append(name ?? '', value ?? '');
  return headers;
}

function evaluate(
  responsePairs: readonly (readonly string[])[],
  options: CacheabilityOptions & { status?: number; method?: string; request?: string[][] } = {},
  timing = { requestTime: NOW, responseTime: NOW },
): Cacheability {
  return responseCacheability(
    { method: options.method ?? 'GET', url: URL_, headers: headersOf(options.request ?? []) },
    { status: options.status ?? 200, statusText: 'OK', headers: headersOf(responsePairs) },
    timing,
    options,
  );
}

function cacheableMeta(result: Cacheability) {
  if (!result.cacheable) throw new Error(`expected cacheable, got ${result.detail}`);
  return result.meta;
}

describe('responseCacheability: storability and freshness table', () => {
  it.each(cases)('$rfc: $name', (c) => {
    const result = evaluate(c.response, {
      status: c.status,
      method: c.method,
      request: c.request,
      cacheAuthorized: 'cacheAuthorized' in c ? c.cacheAuthorized : false,
    });
    if (c.cacheable) {
      expect(result.cacheable).toBe(true);
      expect(ttl(cacheableMeta(result), NOW)).toBe(c.ttl);
    } else {
      expect(result).toMatchObject({ cacheable: false, detail: c.detail });
    }
  });
});

describe('responseCacheability: reasons', () => {
  it.each([
    {
      rfc: 'RFC 9111 §3',
      detail: 'method',
      request: {},
      method: 'POST',
      reason: NoCacheReason.NeverEnabled,
    },
    {
      rfc: 'RFC 9111 §5.2.1.5',
      detail: 'request-no-store',
      request: { 'cache-control': 'no-store' },
      method: 'GET',
      reason: NoCacheReason.Deferred,
    },
    {
      rfc: 'RFC 9111 §3.5',
      detail: 'authorization',
      request: { authorization: 'Basic x' },
      method: 'GET',
      reason: NoCacheReason.OriginNotCache,
    },
  ])('$rfc: $detail gives $reason', ({ request, method, detail, reason }) => {
    const result = responseCacheability(
      { method, url: URL_, headers: toHeaders(request) },
      { status: 200, statusText: 'OK', headers: new Headers({ 'cache-control': 'max-age=60' }) },
      { requestTime: NOW, responseTime: NOW },
    );
    expect(result).toEqual({ cacheable: false, reason, detail });
  });

  it.each([
    { rfc: 'RFC 9111 §3.5', hasCredentials: true, cacheAuthorized: false, cacheable: false },
    { rfc: 'RFC 9111 §3.5', hasCredentials: true, cacheAuthorized: true, cacheable: true },
    { rfc: 'RFC 9111 §3.5', hasCredentials: false, cacheAuthorized: false, cacheable: true },
  ])('$rfc: credentials=$hasCredentials, cacheAuthorized=$cacheAuthorized → $cacheable', (c) => {
    const result = responseCacheability(
      { method: 'GET', url: URL_, headers: new Headers(), hasCredentials: c.hasCredentials },
      { status: 200, statusText: 'OK', headers: new Headers({ 'cache-control': 'max-age=60' }) },
      { requestTime: NOW, responseTime: NOW },
      { cacheAuthorized: c.cacheAuthorized },
    );
    expect(result.cacheable).toBe(c.cacheable);
  });
});

describe('responseCacheability: the stored meta', () => {
  const timing = { requestTime: NOW - 2000, responseTime: NOW };

  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    {
      rfc: 'RFC 9111 §4.2.3',
      name: 'response_delay enters the initial age',
      headers: [['cache-control', 'max-age=60']],
      initialAge: 2,
      freshUntil: NOW + 58_000,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      name: 'age_value + response_delay',
      headers: [
        ['cache-control', 'max-age=60'],
        ['age', '10'],
      ],
      initialAge: 12,
      freshUntil: NOW + 48_000,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      name: 'apparent age wins when larger',
      headers: [
        ['cache-control', 'max-age=60'],
        ['date', 'Mon, 15 Jan 2024 11:59:30 GMT'],
      ],
      initialAge: 30,
      freshUntil: NOW + 30_000,
    },
  ])('$rfc: $name', ({ headers, initialAge, freshUntil }) => {
    const meta = cacheableMeta(evaluate(headers, {}, timing));
    expect(meta.initialAge).toBeCloseTo(initialAge, 6);
    expect(meta.freshUntil).toBeCloseTo(freshUntil, 0);
    expect(meta.requestTime).toBe(NOW - 2000);
    expect(meta.responseTime).toBe(NOW);
    expect(meta.created).toBe(NOW);
    expect(meta.updated).toBe(NOW);
  });

  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    {
      rfc: 'RFC 5861 §3',
      cc: 'max-age=60, stale-while-revalidate=30',
      swr: NOW + 90_000,
      sie: NOW + 60_000,
      mustRevalidate: false,
    },
    {
      rfc: 'RFC 5861 §4',
      cc: 'max-age=60, stale-if-error=300',
      swr: NOW + 60_000,
      sie: NOW + 360_000,
      mustRevalidate: false,
    },
    {
      rfc: 'RFC 9111 §4.2.4',
      cc: 'max-age=60, must-revalidate, stale-if-error=300, stale-while-revalidate=30',
      swr: NOW + 60_000,
      sie: NOW + 60_000,
      mustRevalidate: true,
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      cc: 'no-cache, stale-if-error=300',
      swr: NOW,
      sie: NOW,
      mustRevalidate: true,
    },
    {
      rfc: 'RFC 9111 §4.2.1',
      cc: 'max-age=60, stale-if-error=300, stale-if-error=10',
      swr: NOW + 60_000,
      sie: NOW + 60_000,
      mustRevalidate: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.8',
      cc: 'max-age=60, proxy-revalidate, stale-if-error=10',
      swr: NOW + 60_000,
      sie: NOW + 70_000,
      mustRevalidate: false,
    },
  ])('$rfc: windows of "$cc"', ({ cc, swr, sie, mustRevalidate }) => {
    const meta = cacheableMeta(
      evaluate([
        ['cache-control', cc],
        ['etag', '"x"'],
      ]),
    );
    expect(meta.staleWhileRevalidateUntil).toBe(swr);
    expect(meta.staleIfErrorUntil).toBe(sie);
    expect(meta.mustRevalidate).toBe(mustRevalidate);
  });

  it.each([
    {
      rfc: 'RFC 9111 §3.1',
      name: 'connection-listed and hop-by-hop fields are dropped',
      headers: [
        ['connection', 'x-hop'],
        ['x-hop', '1'],
        ['keep-alive', 'timeout=5'],
        ['x-kept', '1'],
      ],
      absent: ['connection', 'x-hop', 'keep-alive'],
      present: ['x-kept'],
    },
    {
      rfc: 'RFC 9111 §3.1',
      name: 'every hop-by-hop field, and each field Connection names (case and spaces ignored)',
      headers: [
        ['connection', 'keep-alive, X-One ,x-two'],
        ['x-one', '1'],
        ['x-two', '2'],
        ['proxy-connection', 'keep-alive'],
        ['te', 'trailers'],
        ['transfer-encoding', 'chunked'],
        ['upgrade', 'h2c'],
        ['x-kept', '1'],
      ],
      absent: [
        'connection',
        'x-one',
        'x-two',
        'proxy-connection',
        'te',
        'transfer-encoding',
        'upgrade',
      ],
      present: ['x-kept'],
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      name: 'qualified no-cache fields are not stored',
      headers: [
        ['cache-control', 'max-age=60, no-cache="x-secret, x-other"'],
        ['x-secret', 's'],
        ['x-other', 'o'],
        ['x-kept', '1'],
      ],
      absent: ['x-secret', 'x-other'],
      present: ['x-kept'],
    },
    {
      rfc: 'RFC 9110 §6.6.1',
      name: 'a missing Date is added',
      headers: [],
      absent: [],
      present: ['date'],
    },
  ])('$rfc: $name', ({ headers, absent, present }) => {
    const meta = cacheableMeta(evaluate([['cache-control', 'max-age=60'], ...headers]));
    for (const name of absent) expect(getHeader(meta.headers, name)).toBeNull();
    for (const name of present) expect(getHeader(meta.headers, name)).not.toBeNull();
  });

  it('RFC 9110 §6.6.1: the added Date is the receipt time', () => {
    const meta = cacheableMeta(evaluate([['cache-control', 'max-age=60']]));
    expect(getHeader(meta.headers, 'date')).toBe('Mon, 15 Jan 2024 12:00:00 GMT');
  });

  it.each([
    { rfc: 'Cache-Tag', value: 'a, b,a , ,c', tags: ['a', 'b', 'c'] },
    { rfc: 'Cache-Tag', value: '', tags: [] },
  ])('$rfc: "$value" → $tags', ({ value, tags }) => {
    const meta = cacheableMeta(
      evaluate([
        ['cache-control', 'max-age=60'],
        ['cache-tag', value],
      ]),
    );
    expect(meta.tags).toEqual(tags);
  });

  it('RFC 9110 §8.8: validators are kept verbatim', () => {
    const meta = cacheableMeta(
      evaluate([
        ['cache-control', 'max-age=60'],
        ['etag', 'W/"v1"'],
        ['last-modified', 'Sun, 14 Jan 2024 12:00:00 GMT'],
      ]),
    );
    expect(meta.validators).toEqual({
      etag: 'W/"v1"',
      lastModified: 'Sun, 14 Jan 2024 12:00:00 GMT',
    });
  });

  it.each([
    {
      rfc: 'RFC 9111 §4.1',
      vary: 'Accept-Encoding, accept-language, Accept-Encoding',
      names: ['accept-encoding', 'accept-language'],
      varies: true,
    },
    { rfc: 'RFC 9111 §4.1', vary: null, names: [], varies: false },
  ])('$rfc: Vary "$vary" → names $names', ({ vary, names, varies }) => {
    const response: string[][] = [['cache-control', 'max-age=60']];
    if (vary !== null) response.push(['vary', vary]);
    const meta = cacheableMeta(evaluate(response, { request: [['accept-encoding', 'gzip']] }));
    expect(meta.vary).toEqual(names);
    expect(meta.variance === undefined).toBe(!varies);
  });

  it('structured-clone safe: the meta survives structuredClone unchanged', () => {
    const meta = cacheableMeta(
      evaluate([
        ['cache-control', 'max-age=60'],
        ['vary', 'accept'],
        ['etag', '"a"'],
      ]),
    );
    expect(structuredClone(meta)).toEqual(meta);
  });
});

describe('isReusablePostResponse', () => {
  const URL_ = 'https://example.test/cart?x=1';
  it.each([
    {
      rfc: 'RFC 9110 §9.3.3',
      headers: [
        ['cache-control', 'max-age=60'],
        ['content-location', '/cart?x=1'],
      ],
      expected: true,
    },
    {
      rfc: 'RFC 9110 §9.3.3',
      headers: [
        ['expires', 'Mon, 15 Jan 2024 13:00:00 GMT'],
        ['content-location', URL_],
      ],
      expected: true,
    },
    {
      rfc: 'RFC 9110 §9.3.3',
      headers: [
        ['cache-control', 'max-age=60'],
        ['content-location', '/cart'],
      ],
      expected: false,
    },
    { rfc: 'RFC 9110 §9.3.3', headers: [['cache-control', 'max-age=60']], expected: false },
    {
      rfc: 'RFC 9110 §9.3.3',
      headers: [
        ['cache-control', 's-maxage=60'],
        ['content-location', URL_],
      ],
      expected: false,
    },
    {
      rfc: 'RFC 9110 §9.3.3',
      headers: [
        ['etag', '"e"'],
        ['content-location', URL_],
      ],
      expected: false,
    },
    {
      rfc: 'RFC 9110 §8.7',
      headers: [
        ['cache-control', 'max-age=60'],
        ['content-location', 'http://[::1'],
      ],
      expected: false,
    },
  ])('$rfc: $headers → $expected', ({ headers, expected }) => {
    expect(isReusablePostResponse(URL_, headers as unknown as HeaderList)).toBe(expected);
  });

  it.each([
    { headers: { 'cache-control': 'max-age=60', 'content-location': URL_ }, detail: undefined },
    { headers: { 'cache-control': 'max-age=60' }, detail: 'method' },
    {
      headers: { 'cache-control': 'max-age=60, no-store', 'content-location': URL_ },
      detail: 'no-store',
    },
  ])('RFC 9111 §3: a POST answer with $headers → refused for $detail', ({ headers, detail }) => {
    const result = responseCacheability(
      { method: 'POST', url: URL_, headers: new Headers() },
      { status: 200, statusText: 'OK', headers: toHeaders(headers) },
      { requestTime: 0, responseTime: 0 },
    );
    expect(result.cacheable ? undefined : result.detail).toBe(detail);
  });
});
