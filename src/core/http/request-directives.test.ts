import { describe, expect, it } from 'vitest';
import { toHeaders } from '../testing/headers.ts';
import { responseCacheability } from './cacheability.ts';
import type { CacheMeta } from '../meta.ts';
import {
  canServeDisconnected,
  canServeStaleIfError,
  canServeStaleWhileRevalidate,
  evaluateReuse,
  reusableOnReload,
} from './request-directives.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const S = 1000;

/** A meta stored at NOW with the given response Cache-Control (and an ETag, so it is kept). */
function stored(cacheControl: string): CacheMeta {
  const result = responseCacheability(
    { method: 'GET', url: 'https://example.test/', headers: new Headers() },
    {
      status: 200,
      statusText: 'OK',
      headers: new Headers({ 'cache-control': cacheControl, etag: '"e"' }),
    },
    { requestTime: NOW, responseTime: NOW },
  );
  if (!result.cacheable) throw new Error(result.detail);
  return result.meta;
}

describe('evaluateReuse', () => {
  it.each([
    {
      rfc: 'RFC 9111 §4.2',
      response: 'max-age=60',
      request: {},
      after: 30,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §4.2',
      response: 'max-age=60',
      request: {},
      after: 59.999,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §4.2',
      response: 'max-age=60',
      request: {},
      after: 60,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §4.2',
      response: 'max-age=60',
      request: {},
      after: 3600,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.4',
      response: 'max-age=60',
      request: { 'cache-control': 'no-cache' },
      after: 1,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 9111 §5.4',
      response: 'max-age=60',
      request: { pragma: 'no-cache' },
      after: 1,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 9111 §5.4',
      response: 'max-age=60',
      request: { pragma: 'no-cache', 'cache-control': 'max-stale' },
      after: 1,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §5.2.1.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-age=10' },
      after: 11,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-age=10' },
      after: 10,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §5.2.1.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-age=0' },
      after: 1,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      // The age is not rounded: a reload right after a store still revalidates (§4.2.3).
      rfc: 'RFC 9111 §5.2.1.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-age=0' },
      after: 0.3,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.3',
      response: 'max-age=60',
      request: { 'cache-control': 'min-fresh=30' },
      after: 20,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §5.2.1.3',
      response: 'max-age=60',
      request: { 'cache-control': 'min-fresh=30' },
      after: 31,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.2',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale=30' },
      after: 80,
      action: 'use-stale',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.2',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale=30' },
      after: 91,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.2',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale' },
      after: 86400,
      action: 'use-stale',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.2.2',
      response: 'max-age=60, must-revalidate',
      request: { 'cache-control': 'max-stale' },
      after: 61,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.2.2',
      response: 'max-age=60, must-revalidate',
      request: {},
      after: 59,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      response: 'no-cache',
      request: { 'cache-control': 'max-stale' },
      after: 0,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      response: 'no-cache, max-age=60',
      request: {},
      after: 1,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      request: {},
      after: 70,
      action: 'use-stale-and-revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      request: {},
      after: 90,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      request: { 'cache-control': 'no-cache' },
      after: 70,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      request: { 'cache-control': 'max-age=65' },
      after: 70,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §4.2.4',
      response: 'max-age=60, must-revalidate, stale-while-revalidate=30',
      request: {},
      after: 70,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=3600, immutable',
      request: { 'cache-control': 'max-age=0' },
      after: 100,
      action: 'use',
      status: 'fresh',
    },
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=3600, immutable',
      request: { 'cache-control': 'no-cache' },
      after: 100,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=3600, immutable',
      request: { pragma: 'no-cache' },
      after: 100,
      action: 'revalidate',
      status: 'force_expired',
    },
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=60, immutable',
      request: { 'cache-control': 'max-age=0' },
      after: 100,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale=30, min-fresh=5' },
      after: 70,
      action: 'revalidate',
      status: 'expired',
    },
    {
      rfc: 'RFC 9111 §5.2.1.7',
      response: 'max-age=60',
      request: { 'cache-control': 'only-if-cached' },
      after: 10,
      action: 'use',
      status: 'fresh',
    },
  ])(
    '$rfc: response "$response", request $request, after $after s → $action ($status)',
    ({ response, request, after, action, status }) => {
      const decision = evaluateReuse(stored(response), toHeaders(request), NOW + after * S);
      expect(decision.action).toBe(action);
      expect(decision.status).toBe(status);
    },
  );

  it.each([
    {
      rfc: 'RFC 9111 §5.2.1.7',
      request: { 'cache-control': 'only-if-cached' },
      onlyIfCached: true,
    },
    { rfc: 'RFC 9111 §5.2.1.7', request: {}, onlyIfCached: false },
  ])('$rfc: onlyIfCached flag for $request', ({ request, onlyIfCached }) => {
    const decision = evaluateReuse(stored('max-age=60'), toHeaders(request), NOW + 120 * S);
    expect(decision).toEqual({ action: 'revalidate', status: 'expired', onlyIfCached });
  });
});

describe('stale windows', () => {
  it.each([
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      after: 30,
      expected: false,
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      after: 60,
      expected: true,
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      after: 89,
      expected: true,
    },
    {
      rfc: 'RFC 5861 §3',
      response: 'max-age=60, stale-while-revalidate=30',
      after: 90,
      expected: false,
    },
    { rfc: 'RFC 5861 §3', response: 'max-age=60', after: 61, expected: false },
    {
      rfc: 'RFC 9111 §4.2.4',
      response: 'max-age=60, stale-while-revalidate=30, must-revalidate',
      after: 61,
      expected: false,
    },
  ])(
    '$rfc: canServeStaleWhileRevalidate "$response" after $after s → $expected',
    ({ response, after, expected }) => {
      expect(canServeStaleWhileRevalidate(stored(response), NOW + after * S)).toBe(expected);
    },
  );

  it.each([
    {
      rfc: 'RFC 5861 §4',
      response: 'max-age=60, stale-if-error=300',
      request: {},
      after: 200,
      expected: true,
    },
    {
      rfc: 'RFC 5861 §4',
      response: 'max-age=60, stale-if-error=300',
      request: {},
      after: 360,
      expected: false,
    },
    { rfc: 'RFC 5861 §4', response: 'max-age=60', request: {}, after: 61, expected: false },
    {
      rfc: 'RFC 5861 §4',
      response: 'max-age=60',
      request: { 'cache-control': 'stale-if-error=120' },
      after: 150,
      expected: true,
    },
    {
      rfc: 'RFC 5861 §4',
      response: 'max-age=60',
      request: { 'cache-control': 'stale-if-error=120' },
      after: 181,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.2',
      response: 'max-age=60, must-revalidate, stale-if-error=300',
      request: {},
      after: 61,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.2',
      response: 'max-age=60, must-revalidate',
      request: { 'cache-control': 'stale-if-error=120' },
      after: 61,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      response: 'no-cache, stale-if-error=300',
      request: {},
      after: 1,
      expected: false,
    },
  ])(
    '$rfc: canServeStaleIfError "$response" request $request after $after s → $expected',
    ({ response, request, after, expected }) => {
      expect(canServeStaleIfError(stored(response), NOW + after * S, toHeaders(request))).toBe(
        expected,
      );
    },
  );
});

describe('disconnected operation', () => {
  it.each([
    {
      rfc: 'RFC 9111 §4.2.4',
      response: 'max-age=60',
      request: {},
      after: 3600,
      bound: Infinity,
      expected: true,
    },
    {
      rfc: 'RFC 9111 §4.2.4',
      response: 'max-age=60',
      request: {},
      after: 30,
      bound: Infinity,
      expected: true,
    },
    {
      rfc: 'RFC 9111 §5.2.2.2',
      response: 'max-age=60, must-revalidate',
      request: {},
      after: 120,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.4',
      response: 'no-cache',
      request: {},
      after: 1,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.2.8',
      response: 'max-age=60, proxy-revalidate',
      request: {},
      after: 120,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.1.4',
      response: 'max-age=60',
      request: { 'cache-control': 'no-cache' },
      after: 120,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.4',
      response: 'max-age=60',
      request: { pragma: 'no-cache' },
      after: 120,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.1.2',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale=100' },
      after: 150,
      bound: Infinity,
      expected: true,
    },
    {
      rfc: 'RFC 9111 §5.2.1.2',
      response: 'max-age=60',
      request: { 'cache-control': 'max-stale=100' },
      after: 200,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.1.3',
      response: 'max-age=60',
      request: { 'cache-control': 'min-fresh=10' },
      after: 120,
      bound: Infinity,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.1.3',
      response: 'max-age=60',
      request: { 'cache-control': 'min-fresh=10' },
      after: 30,
      bound: Infinity,
      expected: true,
    },
    // A request max-age is a preference for fresher responses, not a ban on stale ones offline.
    {
      rfc: 'RFC 9111 §5.2.1.1',
      response: 'max-age=60',
      request: { 'cache-control': 'max-age=0' },
      after: 120,
      bound: Infinity,
      expected: true,
    },
    { rfc: 'option', response: 'max-age=60', request: {}, after: 120, bound: 3600, expected: true },
    {
      rfc: 'option',
      response: 'max-age=60',
      request: {},
      after: 3700,
      bound: 3600,
      expected: false,
    },
    { rfc: 'option', response: 'max-age=60', request: {}, after: 30, bound: 0, expected: false },
  ])(
    '$rfc: "$response" request $request after $after s, bound $bound → $expected',
    ({ response, request, after, bound, expected }) => {
      expect(
        canServeDisconnected(stored(response), NOW + after * S, toHeaders(request), bound),
      ).toBe(expected);
    },
  );
});

describe('reload (Fetch no-cache mode)', () => {
  it.each([
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=600, immutable',
      request: {},
      after: 10,
      expected: true,
    },
    {
      rfc: 'RFC 8246 §2',
      response: 'max-age=600, immutable',
      request: {},
      after: 700,
      expected: false,
    },
    { rfc: 'RFC 8246 §2', response: 'max-age=600', request: {}, after: 10, expected: false },
    {
      rfc: 'RFC 9111 §5.2.1.4',
      response: 'max-age=600, immutable',
      request: { 'cache-control': 'no-cache' },
      after: 10,
      expected: false,
    },
    {
      rfc: 'RFC 9111 §5.2.1.3',
      response: 'max-age=600, immutable',
      request: { 'cache-control': 'min-fresh=900' },
      after: 10,
      expected: false,
    },
  ])(
    '$rfc: "$response" request $request after $after s → reused $expected',
    ({ response, request, after, expected }) => {
      expect(reusableOnReload(stored(response), toHeaders(request), NOW + after * S)).toBe(
        expected,
      );
    },
  );
});
