/**
 * Security (issue 8), messages: hostile control messages and garbage or forged BroadcastChannel
 * input neither obey an untrusted sender, crash the worker nor cost a stored entry.
 *
 * Each test checks storage itself (the worker's IndexedDB, read from a page), what the page was
 * served byte for byte, what reached the origin, and that the worker recorded no uncaught error
 * (`expectNoWorkerFaults`). The figures each test reports go to docs/RELIABILITY.md (Security).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { logLines, openDemo } from './helpers/demo-app.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { expectNoWorkerFaults } from './helpers/worker-faults.ts';
import { report, SECURITY_TIMEOUT, storedPaths } from './helpers/security.ts';

test.setTimeout(SECURITY_TIMEOUT);

/** Stores `path` and returns its body, after checking it is a stored entry. */
async function storeEntry(page: Page, path: string): Promise<string> {
  const first = await pageFetch(page, path);
  await expect.poll(() => storedPaths(page)).toContain(path);
  return first.bodyText ?? '';
}

/** The entry is still stored and still served, unchanged, without the origin. */
async function expectServedFromCache(page: Page, path: string, body: string): Promise<void> {
  expect(await storedPaths(page)).toContain(path);
  const again = await pageFetch(page, path);
  expect(again.bodyText).toBe(body);
  expect(parseCacheStatus(again.headers['cache-status']).hit).toBe(true);
}

test.describe('control API and channels', () => {
  test('hostile control messages from a page and from a dedicated worker are refused or dropped', async ({
    swPage,
    origin,
  }, testInfo) => {
    const path = '/api/echo?control=1';
    const body = await storeEntry(swPage, path);
    const outcome = await swPage.evaluate(async (path) => {
      const sw = navigator.serviceWorker.controller!;
      const TYPE = 'sw-http-cache:control';
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      /** Posts a hello with `ports` ports and collects what comes back on the first one. */
      const hello = async (message: unknown, ports: number) => {
        const channels = Array.from({ length: ports }, () => new MessageChannel());
        const replies: unknown[] = [];
        channels[0]?.port1.addEventListener('message', (e) => replies.push(e.data));
        channels[0]?.port1.start();
        sw.postMessage(
          message,
          channels.map((c) => c.port2),
        );
        await handled();
        return { replies, port: channels[0]?.port1 };
      };
      /**
       * Resolves once the worker answered a valid hello posted after the messages before it (it
       * handles them in order), and a moment more for replies on other ports: a fixed wait
       * missed replies in a busy Firefox.
       */
      const handled = async () => {
        const probe = new MessageChannel();
        const ready = new Promise((resolve) => {
          probe.port1.onmessage = resolve;
          setTimeout(resolve, 5_000);
        });
        sw.postMessage({ type: TYPE, kind: 'hello', version: 1 }, [probe.port2]);
        await ready;
        probe.port1.close();
        await wait(50);
      };
      const hostileHellos: [unknown, number][] = [
        [null, 1],
        ['hello', 1],
        [[TYPE, 'hello', 1], 1],
        [{ type: TYPE }, 1],
        [{ type: TYPE, kind: 'ready', version: 1 }, 1],
        [{ type: TYPE, kind: 'hello', version: 2 }, 1],
        [{ type: TYPE, kind: 'hello', version: '1' }, 1],
        [{ type: TYPE, kind: 'hello', version: 1 }, 0],
        [{ type: TYPE, kind: 'hello', version: 1 }, 2],
        [{ type: 'APPLY', path: ['clear'], id: 'x' }, 1],
        [{ id: 'y', type: 'APPLY', path: ['clear'], argumentList: [] }, 0],
      ];
      const helloReplies: string[] = [];
      for (const [message, ports] of hostileHellos) {
        const { replies } = await hello(message, ports);
        helloReplies.push(
          replies.map((r) => (r as { kind?: string }).kind ?? JSON.stringify(r)).join(',') ||
            'none',
        );
      }
      // A valid connection, then hostile calls on it.
      const { replies, port } = await hello({ type: TYPE, kind: 'hello', version: 1 }, 1);
      const ready = (replies[0] as { kind?: string } | undefined)?.kind;
      const answers = new Map<unknown, unknown>();
      port!.addEventListener('message', (e) => {
        const id = (e.data as { id?: unknown }).id;
        if (id !== undefined) answers.set(id, e.data);
      });
      const calls: Record<string, unknown>[] = [
        { id: 'get', type: 'GET', path: ['runtime'] },
        { id: 'set', type: 'SET', path: ['options'], value: { type: 'RAW', value: 1 } },
        { id: 'construct', type: 'CONSTRUCT', path: ['clear'], argumentList: [] },
        { id: 'endpoint', type: 'ENDPOINT' },
        { id: 'proto', type: 'APPLY', path: ['__proto__'], argumentList: [] },
        { id: 'nested', type: 'APPLY', path: ['clear', 'call'], argumentList: [] },
        { id: 'runtime', type: 'APPLY', path: ['runtime', 'clear'], argumentList: [] },
        {
          id: 'proxy-arg',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }],
        },
        { id: 'bad-args', type: 'APPLY', path: ['purge'], argumentList: 'x' },
        {
          id: 'bad-target',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: { prefix: 42 } }],
        },
        {
          id: 'two-keys',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: { url: path, tag: 'x' } }],
        },
        {
          id: 'bad-url',
          type: 'APPLY',
          path: ['purge'],
          argumentList: [{ type: 'RAW', value: 'http://[bad' }],
        },
        {
          id: 'debug',
          type: 'APPLY',
          path: ['setDebug'],
          argumentList: [{ type: 'RAW', value: 'yes' }],
        },
        { type: 'APPLY', path: ['clear'], argumentList: 5 },
      ];
      for (const call of calls) port!.postMessage(call);
      port!.postMessage({ id: 'stats', type: 'APPLY', path: ['stats'], argumentList: [] });
      for (let i = 0; i < 50 && !answers.has('stats'); i++) await wait(50);
      const errors = calls
        .filter((call) => call.id !== undefined)
        .map((call) => {
          const answer = answers.get(call.id) as { type?: string; value?: { isError?: boolean } };
          return answer?.type === 'HANDLER' && answer.value?.isError === true ? 'error' : 'no';
        });
      const stats = answers.get('stats') as { value?: { entries?: number } } | undefined;

      // A dedicated worker is not a window client (Chromium does not even give workers
      // navigator.serviceWorker; Firefox does, and gets a refusal). It then tries to clear.
      const workerCode = `(async () => {
        const container = self.navigator.serviceWorker;
        if (!container || !container.controller) { postMessage('no-service-worker'); return; }
        const { port1, port2 } = new MessageChannel();
        const reply = new Promise((resolve) => {
          port1.onmessage = (e) => resolve(e.data.kind);
          setTimeout(() => resolve('none'), 1000);
        });
        container.controller.postMessage({ type: '${TYPE}', kind: 'hello', version: 1 }, [port2]);
        const kind = await reply;
        try { port1.postMessage({ id: 'c', type: 'APPLY', path: ['clear'], argumentList: [] }); } catch {}
        container.controller.postMessage({ id: 'd', type: 'APPLY', path: ['clear'], argumentList: [] });
        postMessage(kind);
      })();`;
      const worker = new Worker(URL.createObjectURL(new Blob([workerCode])));
      const fromWorker = await new Promise<string>((resolve) => {
        worker.onmessage = (e) => resolve(String(e.data));
        worker.onerror = (e) => resolve(`error ${e.message}`);
      });
      worker.terminate();
      await wait(200);
      return { helloReplies, ready, errors, entries: stats?.value?.entries, fromWorker };
    }, path);

    expect(outcome.helloReplies).toEqual([
      'none', // not addressed to the control protocol: someone else's message
      'none',
      'none',
      'refused',
      'refused',
      'refused',
      'refused',
      'none', // no port to answer on
      'refused',
      'none',
      'none',
    ]);
    expect(outcome.ready).toBe('ready');
    expect(outcome.errors).toEqual(outcome.errors.map(() => 'error'));
    expect(outcome.entries).toBe(1); // the connection still works, and nothing was removed
    expect(['no-service-worker', 'refused']).toContain(outcome.fromWorker);
    await expectServedFromCache(swPage, path, body);
    expect(origin.count(path)).toBe(1);
    await expectNoWorkerFaults(swPage);
    report(testInfo, {
      hostileHellos: outcome.helloReplies.length,
      hostileCalls: outcome.errors.length + 1,
      refusedOrDropped: outcome.helloReplies.length + outcome.errors.length + 1,
      fromDedicatedWorker: outcome.fromWorker,
    });
  });

  test('garbage and forged messages on the cache channels neither crash the worker nor cost an entry', async ({
    swContext,
    origin,
  }, testInfo) => {
    // The demo app subscribes through the client API and logs each event it gets.
    const demo = await openDemo(swContext, origin.url);
    const path = '/api/echo?channel=1';
    const body = await storeEntry(demo, path);
    const primary = origin.url + path;
    await expect(logLines(demo, 'stored')).toHaveCount(1);
    const posted = await demo.evaluate(
      ({ primary }) => {
        const garbage: unknown[] = [
          null,
          42,
          'evicted',
          [],
          {},
          { type: 'evicted' },
          { type: 'evicted', keys: primary, source: 'x', time: 1 },
          { type: 'evicted', keys: [{ primary }], source: 'x', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary: 7 }], source: 'x', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary }], source: '', time: 1 },
          { type: 'evicted', keys: [{ namespace: '', primary }], source: 'x', time: 'now' },
          { type: 'drop-table', keys: [], source: 'x', time: 1 },
          { type: 'cleared', keys: [], source: 'x', time: Number.NaN },
          { type: 'lock-released', key: 'x'.repeat(10_000), status: 'Done' },
          { type: 'lock-released', key: '', status: 'Done' },
          { type: 'lock-released', key: 'abc', status: 'Whatever' },
          { bodyId: '', seq: -1 },
          { bodyId: 'x', seq: Number.MAX_VALUE, done: 'yes' },
          new Uint8Array(1024),
        ];
        let count = 0;
        for (const name of ['events', 'lock', 'writes']) {
          const channel = new BroadcastChannel(`sw-http-cache:${name}`);
          for (const message of garbage) {
            channel.postMessage(message);
            count++;
          }
          channel.close();
        }
        // Well-formed forgeries: the worker believes them (any same-origin script may post on
        // the channel), which may only drop its memory copy; the entry stays in IndexedDB.
        const events = new BroadcastChannel('sw-http-cache:events');
        for (const type of ['evicted', 'purged', 'stored', 'updated']) {
          events.postMessage({
            type,
            keys: [{ namespace: '', primary }],
            source: 'forged',
            time: 1,
          });
          count++;
        }
        events.close();
        const lock = new BroadcastChannel('sw-http-cache:lock');
        lock.postMessage({ type: 'lock-released', key: '0'.repeat(32), status: 'Done' });
        lock.close();
        return count + 1;
      },
      { primary },
    );
    // The subscribed page got exactly the four well-formed events, none of the malformed ones.
    await expect(logLines(demo, 'evicted')).toHaveCount(1);
    await expect(logLines(demo, 'purged')).toHaveCount(1);
    await expect(logLines(demo, 'stored')).toHaveCount(2);
    await expect(logLines(demo, 'updated')).toHaveCount(1);
    await expect(logLines(demo, 'cleared')).toHaveCount(0); // its time was NaN
    await expectServedFromCache(demo, path, body);
    expect(origin.count(path)).toBe(1);
    await expectNoWorkerFaults(demo);
    report(testInfo, { messagesPosted: posted, entriesLost: 0, malformedDelivered: 0 });
  });
});
