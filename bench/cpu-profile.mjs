/* global WebSocket -- Node 22 has it; Node 20 behind --experimental-websocket (see below) */
// What a just-started worker's JavaScript spends its time on (a profile, not a test: nothing
// asserts on time).
//
//   node bench/cpu-profile.mjs [--runs=10] [--size=100000] [--mode=cold|restarted|admission]
//                              [--entry=bench/workers/sw-http-cache.ts]
//
// Builds the worker as the bench does and keeps a DevTools session on it: the browser attaches
// such a session again to each new instance of the worker, with the profiler's state, so a
// profile started before a stop covers the next instance from its first statement. `cold`: the
// hit starts the worker (the cold-start row), the script's evaluation and the hit are profiled;
// `restarted`: a no-store request starts it and the hit comes 300 ms later (the hits section's
// IndexedDB row), only the hit is profiled; `admission`: 256 misses of 1 KB, 32 in flight (the
// scale section's admission row), in the running worker, with the JS time per entry against the
// wall time per entry (how much of admission is the worker's JS). The V8 CPU profiler samples every 50 µs; prints the
// self time per function (with its source line) summed over the runs, and per source file, from
// the bundle's sourcemap. The profiler makes everything slower: read the shares, not the ms.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { launchBenchBrowser } from './lib/browser.mjs';
import { decodeVlq } from './lib/sourcemap-weights.mjs';
import { ROOT, buildWorker } from './lib/build.mjs';
import { startContender } from './lib/contenders.mjs';
import { fetchAll, sleep, timedFetch } from './lib/page-fetch.mjs';
import { watchWorkers } from './lib/workers-cdp.mjs';

// Node 20 has WebSocket behind a flag: run again with it.
if (typeof WebSocket === 'undefined') {
  const args = ['--experimental-websocket', ...process.argv.slice(1)];
  process.exit(spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1);
}

const arg = (/** @type {string} */ name, /** @type {string} */ fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const RUNS = Number(arg('runs', '10'));
const SIZE = Number(arg('size', '100000'));
const MODE = arg('mode', 'cold');
const ENTRY = arg('entry', 'bench/workers/sw-http-cache.ts');
const OUT = join(ROOT, 'dist-bench', 'cpu-profile');
const MiB = 1024 * 1024;
/** Misses per run in `admission` mode. */
const ADMITTED = 256;
const WORKER = `/sw.js?maxBodySize=${300 * MiB}&maxBytes=${1024 * MiB}&maxEntries=20000`;
const path = `/api/big?size=${SIZE}&cc=max-age%3D3600&b=cpu`;

await mkdir(OUT, { recursive: true });
await buildWorker(ENTRY, OUT, 'sw.js');
await writeFile(
  join(OUT, 'bench.html'),
  await readFile(join(ROOT, 'bench', 'page', 'bench.html'), 'utf8'),
);
/** The sourcemap's segments per generated line, decoded when first needed. */
/** @type {{ column: number, source: number, line: number }[][] | undefined} */
let decoded;
const sourcemap = JSON.parse(await readFile(join(OUT, 'sw.js.map'), 'utf8'));

// The DevTools endpoint too, for browserSession() (its port is in DevToolsActivePort).
const { context, profile: userData } = await launchBenchBrowser('cpu', {
  args: ['--remote-debugging-port=0'],
});
const contender = await startContender(
  context,
  { name: 'sw-http-cache', dir: 'cpu', worker: WORKER },
  { cpu: OUT },
);
try {
  const workers = await watchWorkers(contender.page);
  const [port, endpoint] = (await readFile(join(userData, 'DevToolsActivePort'), 'utf8')).split(
    '\n',
  );
  const cdp = await browserSession(`ws://127.0.0.1:${port}${endpoint}`);
  await timedFetch(contender.page, path);
  await sleep(500);
  // A session on the worker outlives its stops: the browser attaches it again to each new
  // instance, with the profiler's state, so a profile started before a stop covers the next
  // instance from its first statement.
  const { targetInfos } = await cdp.send('Target.getTargets');
  const { targetId } = targetInfos.find(
    (/** @type {any} */ t) => t.type === 'service_worker' && t.url.startsWith(contender.url),
  );
  const { sessionId: worker } = await cdp.send('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  await cdp.send('Profiler.enable', {}, worker);
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 }, worker);
  /** @type {Map<string, number>} self µs per function */
  const byFunction = new Map();
  /** @type {Map<string, number>} self µs per source file */
  const bySource = new Map();
  let total = 0;
  let wallMs = 0;
  for (let run = 0; run < RUNS; run++) {
    if (MODE === 'admission') {
      const misses = Array.from(
        { length: ADMITTED },
        (_, i) => `/api/resource?cc=max-age%3D3600&size=1000&cpu=${run}-${i}`,
      );
      await cdp.send('Profiler.start', {}, worker);
      wallMs += await fetchAll(contender.page, misses, 32);
      const { profile } = await cdp.send('Profiler.stop', {}, worker);
      total += add(profile, byFunction, bySource);
      process.stderr.write(`cpu-profile: run ${run + 1}/${RUNS}\n`);
      await sleep(1000); // the last writes land
      continue;
    }
    await cdp.send('Profiler.start', {}, worker);
    await workers.stop(contender.url);
    if (MODE === 'restarted') {
      await timedFetch(contender.page, '/api/resource?cc=no-store&body=warm-up');
      await sleep(300);
      // Only the hit: the start and the warm-up request are left out.
      await cdp.send('Profiler.stop', {}, worker);
      await cdp.send('Profiler.start', {}, worker);
    }
    const { bytes } = await timedFetch(contender.page, path);
    if (bytes !== SIZE) throw new Error(`${bytes} of ${SIZE} bytes`);
    await sleep(300);
    const { profile } = await cdp.send('Profiler.stop', {}, worker);
    total += add(profile, byFunction, bySource);
    process.stderr.write(`cpu-profile: run ${run + 1}/${RUNS}\n`);
  }
  await workers.close();
  cdp.close();
  const print = (/** @type {string} */ title, /** @type {Map<string, number>} */ map) => {
    console.log(`\n${title} (self ms per run; total sampled ${(total / RUNS / 1000).toFixed(2)})`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
      console.log(`${(us / RUNS / 1000).toFixed(3).padStart(8)}  ${name}`);
    }
  };
  const what = MODE === 'admission' ? `admission of ${ADMITTED} × 1 KB` : `${MODE} ${SIZE} B`;
  print(`${what}: functions`, byFunction);
  print(`${what}: sources`, bySource);
  if (MODE === 'admission') {
    const perEntry = (/** @type {number} */ ms) => (ms / RUNS / ADMITTED).toFixed(2);
    console.log(
      `\nper entry: ${perEntry(total / 1000)} ms of the worker's JS (sampled) in ` +
        `${perEntry(wallMs)} ms of wall time`,
    );
  }
} finally {
  await context.close();
  await contender.origin.close();
  await rm(userData, { recursive: true, force: true });
}

/**
 * A client of the browser's DevTools endpoint (a browser-level session: only it can catch a
 * service worker's start, and only in the flat protocol, which Playwright's sessions do not
 * expose). `send` takes the flat protocol's `sessionId` for a target's session.
 */
async function browserSession(/** @type {string} */ url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let nextId = 1;
  /** @type {Map<number, { resolve: (result: any) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  /** @type {Set<(message: any) => void>} */
  const listeners = new Set();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (waiter === undefined) {
      for (const listener of listeners) listener(message);
      return;
    }
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.message}`));
    else waiter.resolve(message.result);
  };
  return {
    /**
     * @param {string} method
     * @param {object} [params]
     * @param {string} [sessionId]
     * @returns {Promise<any>}
     */
    send(method, params = {}, sessionId = undefined) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    /** @param {(message: any) => void} listener */
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => socket.close(),
  };
}

/**
 * Adds a profile's self times to the maps; returns the sampled µs of non-idle JS.
 *
 * @param {any} profile
 * @param {Map<string, number>} byFunction
 * @param {Map<string, number>} bySource
 */
function add(profile, byFunction, bySource) {
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  let sum = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = nodes.get(profile.samples[i]);
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    sum += dt;
    const source = sourceOf(frame);
    const name = `${frame.functionName || '(anonymous)'} ${source}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
    const file = source.replace(/:\d+$/, '');
    bySource.set(file, (bySource.get(file) ?? 0) + dt);
  }
  return sum;
}

/** @param {{ url: string, lineNumber: number, columnNumber: number, functionName: string }} frame */
function sourceOf(frame) {
  if (!frame.url.includes('/sw.js'))
    return frame.url === '' ? `(${frame.functionName})` : frame.url;
  return originalSource(frame.lineNumber, frame.columnNumber) ?? 'sw.js';
}

/** The sourcemap's source at a generated position (0-based line and column). */
function originalSource(/** @type {number} */ line, /** @type {number} */ column) {
  const segments = decodedLines()[line];
  if (segments === undefined) return undefined;
  let best;
  for (const segment of segments) {
    if (segment.column > column) break;
    best = segment;
  }
  return best === undefined ? undefined : `${sourcemap.sources[best.source]}:${best.line + 1}`;
}

function decodedLines() {
  if (decoded !== undefined) return decoded;
  let source = 0;
  let line = 0;
  decoded = sourcemap.mappings.split(';').map((/** @type {string} */ text) => {
    let column = 0;
    /** @type {{ column: number, source: number, line: number }[]} */
    const out = [];
    for (const segment of text.split(',')) {
      if (segment === '') continue;
      const values = decodeVlq(segment);
      column += values[0];
      if (values.length > 1) {
        source += values[1];
        line += values[2];
      }
      out.push({ column, source, line });
    }
    return out;
  });
  return decoded;
}
