/** The test origin itself, exercised over plain HTTP from Node: no browser involved. */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base } from '@playwright/test';
import { deterministicBody, deterministicSlice, startOrigin } from './server/origin.mjs';
import type { Origin } from './server/origin.mjs';

const test = base.extend<{ staticDir: string; origin: Origin }>({
  // eslint-disable-next-line no-empty-pattern
  staticDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'sw-http-cache-origin-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(join(dir, 'app.webmanifest'), '{"name":"demo"}');
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  origin: async ({ staticDir }, use) => {
    const origin = await startOrigin({ staticDir });
    await use(origin);
    await origin.close();
  },
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('serves a resource shaped by its query and counts requests per route and per query', async ({
  origin,
}) => {
  const path = '/api/resource?cc=max-age%3D60&etag=v1&vary=accept&tag=a,b&h=X-Extra:1';
  const first = await fetch(origin.url + path);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('max-age=60');
  expect(first.headers.get('etag')).toBe('"v1"');
  expect(first.headers.get('vary')).toBe('accept');
  expect(first.headers.get('cache-tag')).toBe('a,b');
  expect(first.headers.get('x-extra')).toBe('1');
  expect(first.headers.get('x-origin-count')).toBe('1');
  expect(await first.text()).toBe(`origin response #1 for ${path}`);

  const second = await fetch(origin.url + path, { headers: { 'x-probe': 'yes' } });
  expect(second.headers.get('x-origin-count')).toBe('2');
  await second.arrayBuffer();
  await (await fetch(`${origin.url}/api/resource?other`)).arrayBuffer();

  expect(origin.count('/api/resource')).toBe(3);
  expect(origin.count(path)).toBe(2);
  expect(origin.requests(path)[1]?.headers['x-probe']).toBe('yes');
  origin.reset();
  expect(origin.count('/api/resource')).toBe(0);
});

test('sets status, body, content type, Age and dates, and can omit Date', async ({ origin }) => {
  const response = await fetch(
    `${origin.url}/api/resource?status=203&body=hello&ctype=text/x-test&age=30&expires=60&lm=-3600`,
  );
  expect(response.status).toBe(203);
  expect(response.headers.get('content-type')).toBe('text/x-test');
  expect(response.headers.get('age')).toBe('30');
  const date = Date.parse(response.headers.get('date') ?? '');
  const expires = Date.parse(response.headers.get('expires') ?? '');
  const lastModified = Date.parse(response.headers.get('last-modified') ?? '');
  expect(Math.round((expires - date) / 1000)).toBe(60);
  expect(Math.round((date - lastModified) / 1000)).toBe(3600);
  expect(await response.text()).toBe('hello');

  const noDate = await fetch(`${origin.url}/api/resource?date=`);
  expect(noDate.headers.get('date')).toBeNull();
  const fixedDate = await fetch(`${origin.url}/api/resource?date=not%20a%20date`);
  expect(fixedDate.headers.get('date')).toBe('not a date');
});

test('answers 304 to matching validators only', async ({ origin }) => {
  // A fixed Last-Modified: one relative to now (`lm=-60`) moves on when a second boundary falls
  // between two requests, and the If-Modified-Since copied from the first no longer matches.
  const path = `/api/resource?cc=max-age%3D0&etag=v1&lm=${encodeURIComponent('Mon, 02 Nov 2026 10:00:00 GMT')}`;
  const lastModified = (await fetch(origin.url + path)).headers.get('last-modified') ?? '';

  const byEtag = await fetch(origin.url + path, { headers: { 'if-none-match': 'W/"v1"' } });
  expect(byEtag.status).toBe(304);
  expect(byEtag.headers.get('etag')).toBe('"v1"');
  expect(byEtag.headers.get('cache-control')).toBe('max-age=0');

  const wrongEtag = await fetch(origin.url + path, { headers: { 'if-none-match': '"v2"' } });
  expect(wrongEtag.status).toBe(200);

  const byDate = await fetch(origin.url + path, { headers: { 'if-modified-since': lastModified } });
  expect(byDate.status).toBe(304);
  const earlier = new Date(Date.parse(lastModified) - 10_000).toUTCString();
  const changed = await fetch(origin.url + path, { headers: { 'if-modified-since': earlier } });
  expect(changed.status).toBe(200);
  expect(origin.requests(path).map((entry) => entry.headers['if-none-match'])).toEqual([
    undefined,
    'W/"v1"',
    '"v2"',
    undefined,
    undefined,
  ]);
});

test('sends deterministic bytes derived from the URL', async ({ origin }) => {
  const path = '/api/resource?size=100000';
  const body = new Uint8Array(await (await fetch(origin.url + path)).arrayBuffer());
  expect(body.length).toBe(100_000);
  expect(sha256(body)).toBe(sha256(deterministicBody(path, 100_000)));
  expect(sha256(body)).not.toBe(sha256(deterministicBody(`${path}&x`, 100_000)));
  expect(sha256(deterministicSlice(path, 50, 170))).toBe(sha256(body.subarray(50, 170)));
});

test('holds slow chunks until released, for a writer and for a later reader', async ({
  origin,
}) => {
  const path = '/api/slow?id=s1&chunks=3&chunkSize=10';
  const expected = deterministicBody(path, 30);
  const writer = await fetch(origin.url + path); // headers arrive before any chunk
  expect(writer.headers.get('content-length')).toBe('30');
  const writerReader = writer.body!.getReader();

  origin.release('s1', 1);
  const firstChunk = await writerReader.read();
  expect(Buffer.from(firstChunk.value!)).toEqual(expected.subarray(0, 10));

  const reader = await fetch(origin.url + path);
  const readerReader = reader.body!.getReader();
  expect(Buffer.from((await readerReader.read()).value!)).toEqual(expected.subarray(0, 10));

  origin.release('s1'); // everything else
  const rest = async (stream: ReadableStreamDefaultReader<Uint8Array>) => {
    const parts: Uint8Array[] = [];
    for (let chunk = await stream.read(); !chunk.done; chunk = await stream.read()) {
      parts.push(chunk.value);
    }
    return Buffer.concat(parts);
  };
  expect(await rest(writerReader)).toEqual(expected.subarray(10));
  expect(await rest(readerReader)).toEqual(expected.subarray(10));
  expect(origin.count('/api/slow')).toBe(2);
});

test('releases slow chunks on a timer when asked to', async ({ origin }) => {
  const path = '/api/slow?id=t&chunks=3&chunkSize=5&interval=20';
  const started = Date.now();
  const body = new Uint8Array(await (await fetch(origin.url + path)).arrayBuffer());
  expect(Buffer.from(body)).toEqual(deterministicBody(path, 15));
  expect(Date.now() - started).toBeGreaterThanOrEqual(50);
});

test('serves errors, truncated bodies and requests that never end', async ({ origin }) => {
  const error = await fetch(`${origin.url}/api/error?status=503`);
  expect(error.status).toBe(503);
  expect(await error.text()).toBe('origin error 503');

  const reset = await fetch(`${origin.url}/api/reset?size=1000&sent=100`);
  expect(reset.status).toBe(200);
  expect(reset.headers.get('content-length')).toBe('1000');
  await expect(reset.arrayBuffer()).rejects.toThrow();

  const hanging = fetch(`${origin.url}/api/hang`);
  await origin.waitFor('/api/hang');
  await origin.close();
  await expect(hanging).rejects.toThrow();
});

test('goes offline for /api/ (and optionally for static files) and back', async ({ origin }) => {
  origin.setOffline(true);
  await expect(fetch(`${origin.url}/api/resource`)).rejects.toThrow();
  expect((await fetch(`${origin.url}/e2e/blank.html`)).status).toBe(200);

  origin.setOffline(true, { static: true });
  await expect(fetch(`${origin.url}/e2e/blank.html`)).rejects.toThrow();

  // The page-facing switch works while offline, so the demo can turn the origin back on.
  const toggle = await fetch(`${origin.url}/api/offline?value=0`);
  expect(await toggle.json()).toEqual({ offline: false });
  expect((await fetch(`${origin.url}/api/resource`)).status).toBe(200);
});

test('serves static files with content types, no-cache and an ETag', async ({ origin }) => {
  const worker = await fetch(`${origin.url}/sw.js`);
  expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(worker.headers.get('cache-control')).toBe('no-cache');
  const etag = worker.headers.get('etag') ?? '';
  expect(etag).toMatch(/^".+"$/);
  const again = await fetch(`${origin.url}/sw.js`, { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);

  const manifest = await fetch(`${origin.url}/app.webmanifest`);
  expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
  expect(await (await fetch(`${origin.url}/`)).text()).toContain('<title>demo</title>');
  const fixture = await fetch(`${origin.url}/e2e/blank.html`);
  expect(fixture.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await fixture.text()).toContain("register('/sw.js')");
  expect((await fetch(`${origin.url}/e2e/..%2f..%2fpackage.json`)).status).toBe(404);
  expect((await fetch(`${origin.url}/missing.js`)).status).toBe(404);
});

test('serves a timed resource whose version, body and validators change at set times', async ({
  origin,
}) => {
  const epoch = Date.now();
  const timed = (changes: string, extra = '') =>
    `${origin.url}/api/timed?id=doc&epoch=${epoch}&changes=${changes}&size=64&cc=no-cache&date=${extra}`;
  // One change long past, one far ahead: version 1.
  const first = await fetch(timed('-1000,600000', '&validator=etag'));
  expect(first.headers.get('x-version')).toBe('1');
  expect(first.headers.get('etag')).toBe('"v1"');
  expect(first.headers.get('date')).toBeNull();
  expect(Buffer.from(await first.arrayBuffer())).toEqual(deterministicBody('doc#v1', 64));
  const same = await fetch(timed('-1000,600000', '&validator=etag'), {
    headers: { 'if-none-match': '"v1"' },
  });
  expect(same.status).toBe(304);
  expect(same.headers.get('x-version')).toBe('1');
  expect(Number(same.headers.get('x-sent-at'))).toBeGreaterThanOrEqual(
    Number(first.headers.get('x-sent-at')),
  );
  expect(Math.abs(Number(same.headers.get('x-sent-at')) - Date.now())).toBeLessThan(5_000);
  const old = await fetch(timed('-2000,-1000', '&validator=etag'), {
    headers: { 'if-none-match': '"v1"' },
  });
  expect([old.status, old.headers.get('x-version')]).toEqual([200, '2']);
  await old.arrayBuffer();

  // Last-Modified is the current version's change; version 0 was born `born` ms before epoch.
  const born = await fetch(timed('600000', '&validator=lm&born=7200000'));
  expect(Date.parse(born.headers.get('last-modified') ?? '')).toBe(
    Math.floor((epoch - 7_200_000) / 1000) * 1000,
  );
  await born.arrayBuffer();

  // Varying on Accept: one body and one tag per representation.
  const csv = await fetch(timed('', '&validator=etag&vary=accept-encoding,accept'), {
    headers: { accept: 'text/csv' },
  });
  expect(csv.headers.get('etag')).toBe('"v0-text_csv"');
  expect(Buffer.from(await csv.arrayBuffer())).toEqual(deterministicBody('doc#v0-text_csv', 64));

  const before = origin.bytesSent();
  await (await fetch(timed(''))).arrayBuffer();
  expect(origin.bytesSent() - before).toBeGreaterThan(64);
});
