// Service workers seen through the DevTools protocol (Chromium): stop the worker of one origin
// (not all of them: each contender keeps its own state) and read a worker's heap.

/**
 * @typedef {{ versionId: string, scriptURL: string, runningStatus: string }} WorkerVersion
 */

/**
 * Follows every worker version of the page's browser, and stops the one of a given origin the
 * way the browser stops an idle worker: memory is lost, the next fetch starts a fresh instance.
 *
 * @param {import('playwright-core').Page} page any page of the browser; keep it open
 */
export async function watchWorkers(page) {
  const cdp = await page.context().newCDPSession(page);
  /** @type {Map<string, WorkerVersion>} */
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
    for (const version of updated) versions.set(version.versionId, version);
  });
  await cdp.send('ServiceWorker.enable');

  /** @param {string} origin */
  const ofOrigin = (origin) =>
    [...versions.values()].filter((v) => v.scriptURL.startsWith(`${origin}/`));

  return {
    /**
     * Stops the running worker versions of `origin` and resolves once each reports `stopped`.
     *
     * @param {string} origin e.g. `http://127.0.0.1:4321`
     */
    async stop(origin) {
      const running = ofOrigin(origin).filter((v) => v.runningStatus !== 'stopped');
      for (const version of running) {
        await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
      }
      const deadline = Date.now() + 5_000;
      while (ofOrigin(origin).some((v) => v.runningStatus !== 'stopped')) {
        if (Date.now() > deadline) throw new Error(`the worker of ${origin} did not stop in 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    /** stop() saw the version reach `stopped`: the next event started a fresh instance. */
    restarted: async (/** @type {string} */ _origin) => {},
    close: () => cdp.detach(),
  };
}

/**
 * A session on the running service worker of `origin`, relayed through a page session (the
 * approach of e2e/helpers/worker-heap.ts), to read its heap.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} origin
 */
export async function attachWorker(page, origin) {
  const cdp = await page.context().newCDPSession(page);
  /** @type {{ targetInfos: { targetId: string, type: string, url: string }[] }} */
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`${origin}/`),
  );
  if (worker === undefined) throw new Error(`no running service worker for ${origin}`);
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: worker.targetId,
    flatten: false,
  });
  let nextId = 1;
  /** @type {Map<number, (result: any) => void>} */
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const reply = JSON.parse(event.message);
    if (reply.id === undefined) return;
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  });
  /** @param {string} method @returns {Promise<any>} */
  const send = (method) => {
    const id = nextId++;
    const answered = new Promise((resolve) => pending.set(id, resolve));
    void cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method }),
    });
    return answered;
  };
  return {
    /**
     * JS heap used plus ArrayBuffer backing stores, in bytes (response chunks live outside the
     * JS heap); after a full collection when `collect` is set, so it is what is live.
     *
     * @param {{ collect?: boolean }} [options]
     */
    async heap({ collect = false } = {}) {
      if (collect) await send('HeapProfiler.collectGarbage');
      const usage = await send('Runtime.getHeapUsage');
      return (usage?.usedSize ?? 0) + (usage?.backingStorageSize ?? 0);
    },
    detach: () => cdp.detach().catch(() => undefined),
  };
}
