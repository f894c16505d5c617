import { expect, test } from '@playwright/test';
import { parseCacheStatus, parseCacheStatusList } from './helpers/cache-status.ts';

test('reads a hit with its ttl', () => {
  expect(parseCacheStatus('sw-http-cache; hit; ttl=42')).toMatchObject({
    cache: 'sw-http-cache',
    hit: true,
    stored: false,
    ttl: 42,
    fwd: undefined,
  });
});

test('reads a forwarded, stored miss', () => {
  expect(parseCacheStatus('sw-http-cache; fwd=uri-miss; stored')).toMatchObject({
    hit: false,
    fwd: 'uri-miss',
    stored: true,
  });
});

test('reads fwd-status, a negative ttl and a quoted detail with separators in it', () => {
  const status = parseCacheStatus(
    'sw-http-cache; fwd=stale; fwd-status=304; ttl=-3; detail="a;b, c"; collapsed',
  );
  expect(status).toMatchObject({
    fwd: 'stale',
    fwdStatus: 304,
    ttl: -3,
    detail: 'a;b, c',
    collapsed: true,
    stored: false,
  });
});

test('keeps every member in order and returns the first one', () => {
  const value = 'sw-http-cache; fwd=uri-miss; detail=OriginNotCache, "CDN Co"; hit';
  expect(parseCacheStatusList(value).map((member) => member.cache)).toEqual([
    'sw-http-cache',
    'CDN Co',
  ]);
  expect(parseCacheStatus(value)).toMatchObject({ detail: 'OriginNotCache', stored: false });
});

test('throws when the header is missing', () => {
  expect(() => parseCacheStatus(null)).toThrow(/no Cache-Status member/);
  expect(() => parseCacheStatus('')).toThrow(/no Cache-Status member/);
});
