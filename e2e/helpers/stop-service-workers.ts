import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/**
 * Stops every service worker of the page's browser through the DevTools protocol, the way the
 * browser stops an idle worker: in-memory state is lost, the next fetch starts a fresh instance.
 * Resolves once every known worker version reports `stopped`. Chromium only (CDP); in other
 * browsers `newCDPSession` throws.
 */
export async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const running = new Map<string, string | undefined>();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) running.set(version.versionId, version.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect
      .poll(() => running.size > 0 && [...running.values()].every((s) => s === 'stopped'), {
        message: 'every service worker version reports runningStatus "stopped"',
        timeout: 5_000,
      })
      .toBe(true);
  } finally {
    // Closing the session has been seen never to return on a heavily loaded machine; the
    // workers are stopped by then, so do not wait for it longer than a moment.
    await Promise.race([
      cdp.detach().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 2_000)),
    ]);
  }
}
