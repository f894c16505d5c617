import { describe, expect, it } from 'vitest';
import { toHeaders } from '../testing/headers.ts';
import type { HeaderList } from '../meta.ts';
import {
  isNotModified,
  parseEntityTag,
  parseEntityTagList,
  revalidationHeaders,
  strongMatch,
  weakMatch,
} from './conditional.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const LM = 'Sun, 14 Jan 2024 12:00:00 GMT';

describe('revalidationHeaders', () => {
  it.each([
    { rfc: 'RFC 9111 §4.3.1', validators: { etag: '"a"' }, expected: { 'if-none-match': '"a"' } },
    {
      rfc: 'RFC 9111 §4.3.1',
      validators: { etag: 'W/"a"' },
      expected: { 'if-none-match': 'W/"a"' },
    },
    {
      rfc: 'RFC 9111 §4.3.1',
      validators: { lastModified: LM },
      expected: { 'if-modified-since': LM },
    },
    {
      rfc: 'RFC 9111 §4.3.1',
      validators: { etag: '"a"', lastModified: LM },
      expected: { 'if-none-match': '"a"', 'if-modified-since': LM },
    },
    { rfc: 'RFC 9111 §4.3.1', validators: { lastModified: 'last tuesday' }, expected: {} },
    { rfc: 'RFC 9110 §8.8.3', validators: { etag: 'unquoted' }, expected: {} },
    { rfc: 'RFC 9111 §4.3.1', validators: {}, expected: {} },
  ])('$rfc: $validators → $expected', ({ validators, expected }) => {
    expect(revalidationHeaders({ validators, responseTime: NOW })).toEqual(expected);
  });
});

describe('entity-tags', () => {
  it.each([
    { rfc: 'RFC 9110 §8.8.3.2', a: '"1"', b: '"1"', strong: true, weak: true },
    { rfc: 'RFC 9110 §8.8.3.2', a: 'W/"1"', b: '"1"', strong: false, weak: true },
    { rfc: 'RFC 9110 §8.8.3.2', a: 'W/"1"', b: 'W/"1"', strong: false, weak: true },
    { rfc: 'RFC 9110 §8.8.3.2', a: 'W/"1"', b: 'W/"2"', strong: false, weak: false },
    { rfc: 'RFC 9110 §8.8.3.2', a: '"1"', b: '"2"', strong: false, weak: false },
  ])('$rfc: $a vs $b → strong $strong, weak $weak', ({ a, b, strong, weak }) => {
    const x = parseEntityTag(a);
    const y = parseEntityTag(b);
    if (x === null || y === null) throw new Error('unparsable fixture');
    expect(strongMatch(x, y)).toBe(strong);
    expect(weakMatch(x, y)).toBe(weak);
  });

  it.each([
    { rfc: 'RFC 9110 §13.1.2', value: '*', expected: '*' },
    {
      rfc: 'RFC 9110 §13.1.2',
      value: '"a", W/"b"',
      expected: [
        { weak: false, opaque: '"a"' },
        { weak: true, opaque: '"b"' },
      ],
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      value: '"a,b" ,"c"',
      expected: [
        { weak: false, opaque: '"a,b"' },
        { weak: false, opaque: '"c"' },
      ],
    },
    {
      rfc: 'RFC 9110 §5.6.1',
      value: '"a", , "b"',
      expected: [
        { weak: false, opaque: '"a"' },
        { weak: false, opaque: '"b"' },
      ],
    },
    { rfc: 'RFC 9110 §13.1.2', value: 'a, b', expected: null },
    { rfc: 'RFC 9110 §13.1.2', value: '', expected: null },
  ])('$rfc: If-None-Match list "$value"', ({ value, expected }) => {
    expect(parseEntityTagList(value)).toEqual(expected);
  });
});

describe('isNotModified', () => {
  const stored = (headers: [string, string][], status = 200) => {
    const list: HeaderList = [['date', 'Mon, 15 Jan 2024 11:00:00 GMT'], ...headers];
    const get = (n: string) => headers.find(([name]) => name === n)?.[1];
    return {
      status,
      headers: list,
      validators: { etag: get('etag'), lastModified: get('last-modified') },
      responseTime: NOW,
    };
  };

  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'HEAD',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '"x", "a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': 'W/"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', 'W/"a"']],
      request: { 'if-none-match': '"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '"b"' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '*' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [],
      request: { 'if-none-match': '*' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [],
      request: { 'if-none-match': '"a"' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'POST',
      stored: [['etag', '"a"']],
      request: { 'if-none-match': '"a"' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.2.2',
      method: 'GET',
      stored: [
        ['etag', '"a"'],
        ['last-modified', LM],
      ],
      request: { 'if-none-match': '"b"', 'if-modified-since': LM },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.3',
      method: 'GET',
      stored: [['last-modified', LM]],
      request: { 'if-modified-since': LM },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.3',
      method: 'GET',
      stored: [['last-modified', LM]],
      request: { 'if-modified-since': 'Sat, 13 Jan 2024 12:00:00 GMT' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.3',
      method: 'GET',
      stored: [['last-modified', LM]],
      request: { 'if-modified-since': 'Mon, 15 Jan 2024 12:00:00 GMT' },
      expected: true,
    },
    {
      rfc: 'RFC 9110 §13.1.3',
      method: 'GET',
      stored: [['last-modified', LM]],
      request: { 'if-modified-since': 'not a date' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.3',
      method: 'DELETE',
      stored: [['last-modified', LM]],
      request: { 'if-modified-since': LM },
      expected: false,
    },
    {
      rfc: 'RFC 9111 §4.3.2',
      method: 'GET',
      stored: [],
      request: { 'if-modified-since': 'Mon, 15 Jan 2024 11:00:00 GMT' },
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.3.2',
      method: 'GET',
      stored: [],
      request: { 'if-modified-since': 'Mon, 15 Jan 2024 10:59:59 GMT' },
      expected: false,
    },
    {
      rfc: 'RFC 9111 §4.3.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: { 'if-match': '"b"' },
      expected: false,
    },
    {
      rfc: 'RFC 9110 §13.1.2',
      method: 'GET',
      stored: [['etag', '"a"']],
      request: {},
      expected: false,
    },
  ])(
    '$rfc: $method stored $stored with $request → 304 $expected',
    ({ method, stored: headers, request, expected }) => {
      expect(isNotModified(method, toHeaders(request), stored(headers as [string, string][]))).toBe(
        expected,
      );
    },
  );

  it('RFC 9110 §13.2.1: a stored 404 never answers 304', () => {
    expect(isNotModified('GET', new Headers({ 'if-none-match': '*' }), stored([], 404))).toBe(
      false,
    );
  });
});
