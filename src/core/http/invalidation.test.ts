import { describe, expect, it } from 'vitest';
import { clearsCache, invalidatedUrls, isUnsafeMethod } from './invalidation.ts';

const T = 'https://app.test/items/1';

describe('invalidatedUrls', () => {
  it.each([
    ['RFC 9110 §9.2.1', 'GET', 200, {}, []],
    ['RFC 9110 §9.2.1', 'HEAD', 200, {}, []],
    ['RFC 9110 §9.2.1', 'OPTIONS', 204, {}, []],
    ['RFC 9111 §4.4', 'POST', 200, {}, [T]],
    ['RFC 9111 §4.4', 'put', 204, {}, [T]],
    ['RFC 9111 §4.4', 'DELETE', 303, {}, [T]],
    ['RFC 9111 §4.4', 'PATCH', 201, {}, [T]],
    ['RFC 9111 §4.4 (error status)', 'POST', 404, {}, []],
    ['RFC 9111 §4.4 (error status)', 'POST', 500, {}, []],
    ['RFC 9111 §4.4 (informational)', 'POST', 100, {}, []],
    [
      'RFC 9111 §4.4 Location',
      'POST',
      201,
      { location: '/items/2' },
      [T, 'https://app.test/items/2'],
    ],
    [
      'RFC 9111 §4.4 Content-Location',
      'PUT',
      200,
      { 'content-location': 'https://app.test/items/1?v=2#frag' },
      [T, 'https://app.test/items/1?v=2'],
    ],
    [
      'RFC 9111 §4.4 other origin ignored',
      'POST',
      201,
      { location: 'https://evil.test/items/1' },
      [T],
    ],
    ['RFC 9111 §4.4 malformed ignored', 'POST', 201, { location: 'http://[bad' }, [T]],
    ['RFC 9111 §4.4 same URL once', 'POST', 200, { location: T, 'content-location': T }, [T]],
  ])('%s: %s %i %o', (_rfc, method, status, headers, expected) => {
    expect(invalidatedUrls(method, T + '#x', status, new Headers(headers))).toEqual(expected);
  });

  it('knows which methods are unsafe (RFC 9110 §9.2.1)', () => {
    expect(['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND'].every(isUnsafeMethod)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS', 'TRACE'].some(isUnsafeMethod)).toBe(false);
  });
});

describe('clearsCache (Clear Site Data §3.1)', () => {
  it.each([
    ['"cache"', true],
    ['"cookies", "cache"', true],
    ['"*"', true],
    ['"storage"', false],
    ['cache', false],
    ["'cache'", false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(clearsCache(new Headers({ 'clear-site-data': value }))).toBe(expected);
  });

  it('is false without the header', () => {
    expect(clearsCache(new Headers())).toBe(false);
  });
});
