import { describe, expect, it } from 'vitest';
import type { HitHandler } from '../core/storage.ts';
import type { IdbStorage } from '../storage/idb/idb.ts';
import { MemoryStorage } from '../storage/memory/memory.ts';
import { bytes, keyOf, metaOf, store } from '../storage/testing/support.ts';
import type { CacheStatus } from './cache-status.ts';
import { testMeta } from '../core/testing/fakes.ts';
import {
  forwardedResponse,
  gatewayTimeout,
  hitHeaders,
  ownCacheStatus,
  storedResponse,
} from './respond.ts';
import { newIdb as idb } from '../storage/testing/idb.ts';

const STATUS: CacheStatus = { hit: true, detail: 'idb' };
const NOW = 11_000;

/** The hit of a 10-byte body stored in `storage`, with what the response asked of it. */
async function spiedHit(storage: IdbStorage | MemoryStorage, status = 200) {
  await store(storage, keyOf('/r'), bytes(10), 3, metaOf(status, [['content-type', 'text/x']]));
  const found = await storage.lookup(keyOf('/r'));
  const inner = found!.hit;
  const asked = { reads: 0, blobs: 0, finished: 0 };
  const hit: HitHandler = {
    source: inner.source,
    canSeek: inner.canSeek,
    size: inner.size,
    seek: (start, end) => inner.seek(start, end),
    readBody: () => (asked.reads++, inner.readBody()),
    blob: () => (asked.blobs++, inner.blob?.() ?? Promise.resolve(null)),
    finish: () => (asked.finished++, inner.finish()),
  };
  return { meta: found!.meta, hit, asked };
}

describe('storedResponse', () => {
  it('answers with the stored Blob: no byte read through the worker, hit released', async () => {
    const { meta, hit, asked } = await spiedHit(idb());
    const response = await storedResponse(meta, hit, 'GET', NOW, STATUS);
    expect(asked).toEqual({ reads: 0, blobs: 1, finished: 1 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/x');
    expect(response.headers.get('age')).toBe('10');
    expect(response.headers.get('cache-status')).toContain('hit');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes(10));
  });

  it('streams a body that is not kept as a Blob (memory)', async () => {
    const { meta, hit, asked } = await spiedHit(new MemoryStorage());
    const response = await storedResponse(meta, hit, 'GET', NOW, STATUS);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes(10));
    expect(asked.reads).toBeGreaterThan(0);
    expect(asked.finished).toBe(1);
  });

  it('has no body for HEAD or a stored 204, and asks for no Blob', async () => {
    for (const [method, status] of [
      ['HEAD', 200],
      ['GET', 204],
    ] as const) {
      const { meta, hit, asked } = await spiedHit(idb(), status);
      const response = await storedResponse(meta, hit, method, NOW, STATUS);
      expect(response.body).toBeNull();
      expect(asked).toEqual({ reads: 0, blobs: 0, finished: 1 });
    }
  });
});

describe('ownCacheStatus', () => {
  it('is the member the worker wrote, whatever the origin put before it', async () => {
    const origin = new Response('x', { headers: { 'cache-status': 'Origin; key="a, b' } });
    const forwarded = forwardedResponse(origin, { fwd: 'uri-miss', stored: true });
    expect(ownCacheStatus(forwarded)).toBe('sw-http-cache; fwd=uri-miss; stored');
    expect(forwarded.headers.get('cache-status')).toBe(
      'Origin; key="a, b, sw-http-cache; fwd=uri-miss; stored',
    );
    const { meta, hit } = await spiedHit(new MemoryStorage());
    const stored = await storedResponse(meta, hit, 'GET', NOW, STATUS);
    expect(ownCacheStatus(stored)).toMatch(/^sw-http-cache; hit; ttl=-?\d+; detail=idb$/);
    expect(ownCacheStatus(gatewayTimeout({ fwd: 'uri-miss' }))).toBe('sw-http-cache; fwd=uri-miss');
  });

  it('is null for a response the worker did not build', () => {
    expect(
      ownCacheStatus(new Response(null, { headers: { 'cache-status': 'sw-http-cache; hit' } })),
    ).toBeNull();
    expect(ownCacheStatus(Response.error())).toBeNull();
  });
});

describe('hitHeaders', () => {
  it('RFC 9111 §3.1: replays no hop-by-hop field, even one an older entry stored', () => {
    const meta = testMeta({
      headers: [
        ['content-type', 'text/x'],
        ['connection', 'x-hop'],
        ['x-hop', '1'],
        ['keep-alive', 'timeout=5'],
        ['transfer-encoding', 'chunked'],
        ['x-kept', 'yes'],
      ],
    });
    const headers = hitHeaders(meta, NOW, STATUS, () => true);
    for (const name of ['connection', 'x-hop', 'keep-alive', 'transfer-encoding']) {
      expect(headers.has(name)).toBe(false);
    }
    expect(headers.get('x-kept')).toBe('yes');
    expect(headers.get('content-type')).toBe('text/x');
  });
});
