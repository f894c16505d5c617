import { describe, expect, it } from 'vitest';
import { toHeaders } from '../testing/headers.ts';
import type { CacheMeta, HeaderList } from '../meta.ts';
import { getHeader } from '../meta.ts';
import { responseCacheability } from './cacheability.ts';
import {
  freshenWith304,
  freshenWithHead,
  headMatchesStored,
  identifiesStoredResponse,
  merge304Headers,
} from './merge-304.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const LATER = NOW + 3600_000;
const REQUEST = {
  method: 'GET',
  url: 'https://example.test/',
  headers: new Headers({ accept: 'x' }),
};

function stored(headers: object): CacheMeta {
  const result = responseCacheability(
    REQUEST,
    {
      status: 200,
      statusText: 'OK',
      headers: toHeaders({ date: 'Mon, 15 Jan 2024 12:00:00 GMT', ...headers }),
    },
    { requestTime: NOW, responseTime: NOW },
  );
  if (!result.cacheable) throw new Error(result.detail);
  return result.meta;
}

describe('identifiesStoredResponse', () => {
  it.each([
    { rfc: 'RFC 9111 §4.3.4', stored: { etag: '"a"' }, response: { etag: '"a"' }, expected: true },
    { rfc: 'RFC 9111 §4.3.4', stored: { etag: '"a"' }, response: { etag: '"b"' }, expected: false },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { etag: 'W/"a"' },
      response: { etag: '"a"' },
      expected: false,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { etag: 'W/"a"' },
      response: { etag: 'W/"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { etag: '"a"' },
      response: { etag: 'W/"a"' },
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { 'last-modified': 'Sun, 14 Jan 2024 12:00:00 GMT' },
      response: { etag: '"a"' },
      expected: false,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { 'last-modified': 'Sun, 14 Jan 2024 12:00:00 GMT' },
      response: { 'last-modified': 'Sunday, 14-Jan-24 12:00:00 GMT' },
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      stored: { 'last-modified': 'Sun, 14 Jan 2024 12:00:00 GMT' },
      response: { 'last-modified': 'Sun, 14 Jan 2024 12:00:01 GMT' },
      expected: false,
    },
    { rfc: 'RFC 9111 §4.3.4', stored: { etag: '"a"' }, response: {}, expected: true },
  ])('$rfc: stored $stored, 304 $response → $expected', ({ stored: s, response, expected }) => {
    expect(
      identifiesStoredResponse(stored({ 'cache-control': 'max-age=1', ...s }), toHeaders(response)),
    ).toBe(expected);
  });
});

describe('merge304Headers', () => {
  const base: HeaderList = [
    ['date', 'Mon, 15 Jan 2024 12:00:00 GMT'],
    ['age', '50'],
    ['cache-control', 'max-age=60'],
    ['content-length', '10'],
    ['content-encoding', 'gzip'],
    ['content-type', 'text/plain'],
    ['vary', 'accept'],
    ['x-a', '1'],
    ['x-a', '2'],
  ];

  // A table, one case a row: the rows look alike by design (duplicates pairs them).
  it.each([
    {
      rfc: 'RFC 9111 §3.2',
      name: 'replaces a field',
      response: { 'cache-control': 'max-age=600' },
      field: 'cache-control',
      value: 'max-age=600',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: 'adds a new field',
      response: { 'x-new': 'n' },
      field: 'x-new',
      value: 'n',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: 'keeps a field the 304 lacks',
      response: {},
      field: 'content-type',
      value: 'text/plain',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: 'never updates Content-Length',
      response: { 'content-length': '0' },
      field: 'content-length',
      value: '10',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: 'keeps Content-Encoding of the decoded body',
      response: { 'content-encoding': 'br' },
      field: 'content-encoding',
      value: 'gzip',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: 'keeps Vary (variance depends on it)',
      response: { vary: 'cookie' },
      field: 'vary',
      value: 'accept',
    },
    {
      rfc: 'RFC 9111 §3.1',
      name: 'does not take hop-by-hop fields',
      response: { 'keep-alive': 'timeout=5' },
      field: 'keep-alive',
      value: null,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      name: 'drops the stored Age',
      response: {},
      field: 'age',
      value: null,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      name: "takes the 304's Age",
      response: { age: '3' },
      field: 'age',
      value: '3',
    },
    {
      rfc: 'RFC 9110 §6.6.1',
      name: 'a 304 without Date gets the receipt time',
      response: {},
      field: 'date',
      value: 'Mon, 15 Jan 2024 13:00:00 GMT',
    },
    {
      rfc: 'RFC 9111 §3.2',
      name: "takes the 304's Date",
      response: { date: 'Mon, 15 Jan 2024 12:59:59 GMT' },
      field: 'date',
      value: 'Mon, 15 Jan 2024 12:59:59 GMT',
    },
  ])('$rfc: $name', ({ response, field, value }) => {
    expect(getHeader(merge304Headers(base, toHeaders(response), LATER), field)).toBe(value);
  });

  it('RFC 9111 §3.2: replaces every stored line of a repeated field', () => {
    const merged = merge304Headers(base, new Headers({ 'x-a': '3' }), LATER);
    expect(merged.filter(([name]) => name === 'x-a')).toEqual([['x-a', '3']]);
  });
});

describe('freshenWith304', () => {
  const timing = { requestTime: LATER, responseTime: LATER };

  it.each([
    {
      rfc: 'RFC 9111 §4.3.4',
      name: 'new max-age from the 304',
      response: { etag: '"a"', 'cache-control': 'max-age=600' },
      freshUntil: LATER + 600_000,
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      name: 'stored max-age restarts from the revalidation',
      response: { etag: '"a"' },
      freshUntil: LATER + 60_000,
    },
    {
      rfc: 'RFC 9111 §4.2.3',
      name: "the 304's Age counts",
      response: { etag: '"a"', age: '20' },
      freshUntil: LATER + 40_000,
    },
  ])('$rfc: $name', ({ response, freshUntil }) => {
    const meta = stored({ 'cache-control': 'max-age=60', etag: '"a"', age: '50', vary: 'accept' });
    const result = freshenWith304(meta, REQUEST, toHeaders(response), timing);
    if (result.kind !== 'updated') throw new Error(result.kind);
    expect(result.meta.freshUntil).toBe(freshUntil);
    expect(result.meta.created).toBe(NOW);
    expect(result.meta.updated).toBe(LATER);
    expect(result.meta.variance).toBe(meta.variance);
    expect(result.meta.vary).toEqual(['accept']);
  });

  it.each([
    { rfc: 'RFC 9111 §4.3.4', response: { etag: '"other"' }, kind: 'mismatch' },
    {
      rfc: 'RFC 9111 §3',
      response: { etag: '"a"', 'cache-control': 'no-store' },
      kind: 'uncacheable',
    },
    {
      rfc: 'RFC 9111 §4.3.4',
      response: { etag: '"a"', 'cache-control': 'max-age=5' },
      kind: 'updated',
    },
  ])('$rfc: 304 $response → $kind', ({ response, kind }) => {
    const meta = stored({ 'cache-control': 'max-age=60', etag: '"a"' });
    expect(freshenWith304(meta, REQUEST, toHeaders(response), timing).kind).toBe(kind);
  });
});

describe('HEAD updates (RFC 9111 §4.3.5)', () => {
  const LM = 'Mon, 01 Jan 2024 00:00:00 GMT';
  it.each([
    { name: 'same ETag', head: { etag: '"a"' }, expected: true },
    { name: 'same ETag, weak', head: { etag: 'W/"a"' }, expected: true },
    { name: 'another ETag', head: { etag: '"b"' }, expected: false },
    { name: 'same Last-Modified', head: { 'last-modified': LM }, expected: true },
    {
      name: 'another Last-Modified',
      head: { 'last-modified': 'Tue, 02 Jan 2024 00:00:00 GMT' },
      expected: false,
    },
    {
      name: 'ETag matches, Last-Modified does not',
      head: { etag: '"a"', 'last-modified': 'Tue, 02 Jan 2024 00:00:00 GMT' },
      expected: false,
    },
    { name: 'no validator', head: {}, expected: false },
    { name: 'same length', head: { etag: '"a"', 'content-length': '5' }, expected: true },
    { name: 'another length', head: { etag: '"a"', 'content-length': '6' }, expected: false },
  ])('$name → $expected', ({ head, expected }) => {
    const meta = stored({ etag: '"a"', 'last-modified': LM, 'cache-control': 'max-age=0' });
    expect(headMatchesStored(meta, toHeaders(head), 5)).toBe(expected);
  });

  it('updates headers and freshness from a matching HEAD, as a 304 would', () => {
    const meta = stored({ etag: '"a"', 'cache-control': 'max-age=0', 'x-v': '1' });
    const result = freshenWithHead(
      meta,
      { ...REQUEST, method: 'HEAD' },
      toHeaders({ etag: '"a"', 'cache-control': 'max-age=600', 'x-v': '2', 'content-length': '5' }),
      { requestTime: LATER, responseTime: LATER },
      5,
    );
    if (result.kind !== 'updated') throw new Error(result.kind);
    expect(getHeader(result.meta.headers, 'x-v')).toBe('2');
    expect(result.meta.freshUntil).toBe(LATER + 600_000);
    expect(result.meta.created).toBe(meta.created);
    expect(
      freshenWithHead(
        meta,
        REQUEST,
        toHeaders({ etag: '"b"' }),
        { requestTime: LATER, responseTime: LATER },
        5,
      ),
    ).toEqual({ kind: 'mismatch' });
  });
});
