// Stops every service worker of a page's browser through CDP and waits until each version
// reports `stopped` (the same way e2e/helpers/stop-service-workers.ts does, for plain Node).

/** @param {import('playwright-core').Page} page */
export async function stopServiceWorkers(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    /** @type {Map<string, string | undefined>} */
    const running = new Map();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) running.set(version.versionId, version.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + 5_000;
    while (!(running.size > 0 && [...running.values()].every((s) => s === 'stopped'))) {
      if (Date.now() > deadline) throw new Error('service workers did not stop within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await cdp.detach();
  }
}
