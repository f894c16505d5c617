/**
 * Bundled into the benchmark's page (see bench/storage/build-idb-page.mjs): exposes
 * `window.idbBench`, which writes and reads one body through `IdbStorage` with a given chunk
 * size and reports the times. The storage layer alone, in the page: no worker, no network.
 */
import type { CacheKey } from '../../src/core/key.ts';
import type { CacheMeta } from '../../src/core/meta.ts';
import { IdbStorage } from '../../src/storage/idb/idb.ts';

/** Pieces the body is handed to the miss handler in, like a network read loop. */
const WRITE_PIECE = 64 * 1024;

export interface IdbRoundTrip {
  /** `getMissHandler` … `finish`, ms. */
  writeMs: number;
  /** `lookup` … last `readBody`, ms. */
  readMs: number;
  bytesRead: number;
}

const storages = new Map<number, IdbStorage>();

function storageFor(chunkSize: number): IdbStorage {
  let storage = storages.get(chunkSize);
  if (storage === undefined) {
    // One database per chunk size, no background work that could overlap a measurement.
    storage = new IdbStorage({
      name: `bench-chunk-${chunkSize}`,
      chunkSize,
      collectOrphansOnOpen: false,
      accessFlushDelayMs: 60 * 60 * 1000,
    });
    storages.set(chunkSize, storage);
  }
  return storage;
}

function benchMeta(size: number): CacheMeta {
  const now = Date.now();
  return {
    status: 200,
    statusText: 'OK',
    headers: [
      ['content-type', 'application/octet-stream'],
      ['content-length', String(size)],
    ],
    created: now,
    updated: now,
    requestTime: now,
    responseTime: now,
    initialAge: 0,
    freshUntil: now + 600_000,
    staleWhileRevalidateUntil: now + 600_000,
    staleIfErrorUntil: now + 600_000,
    vary: [],
    validators: {},
    tags: [],
    mustRevalidate: false,
  };
}

/** Stores `size` bytes under a fresh key, reads them back, purges them; returns the times. */
async function roundTrip(chunkSize: number, size: number, run: string): Promise<IdbRoundTrip> {
  const storage = storageFor(chunkSize);
  const key: CacheKey = { namespace: 'bench', primary: `https://bench.invalid/${size}/${run}` };
  const body = new Uint8Array(size);
  crypto.getRandomValues(body.subarray(0, Math.min(size, 65_536)));

  const writeStart = performance.now();
  const miss = await storage.getMissHandler(key, benchMeta(size));
  for (let offset = 0; offset < size; offset += WRITE_PIECE) {
    await miss.write(body.subarray(offset, Math.min(size, offset + WRITE_PIECE)));
  }
  await miss.finish();
  const writeMs = performance.now() - writeStart;

  const readStart = performance.now();
  const found = await storage.lookup(key);
  if (found === null) throw new Error(`the body just written (${size} B) is not found`);
  let bytesRead = 0;
  for (let chunk = await found.hit.readBody(); chunk !== null; chunk = await found.hit.readBody()) {
    bytesRead += chunk.byteLength;
  }
  await found.hit.finish();
  const readMs = performance.now() - readStart;
  if (bytesRead !== size) throw new Error(`read ${bytesRead} of ${size} bytes`);

  await storage.purge(key, 'eviction');
  return { writeMs, readMs, bytesRead };
}

declare global {
  interface Window {
    idbBench: { roundTrip: typeof roundTrip };
  }
}

window.idbBench = { roundTrip };
