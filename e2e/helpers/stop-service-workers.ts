import { expect, test } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';

/** Skips the current test outside Chromium, where {@link stopServiceWorkers} cannot run. */
export function skipUnlessWorkersCanStop(browserName: string): void {
  test.skip(browserName !== 'chromium', 'stopping a service worker needs the DevTools protocol');
}

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
        // A worker stopped mid-write may take seconds to report it on a busy machine (5 s was
        // once too short in CI, with other jobs running).
        timeout: 15_000,
      })
      .toBe(true);
  } finally {
    await detachSoon(cdp);
  }
}

/**
 * Stops the running worker of the registration whose scope is `scopeUrl` (absolute) and no other,
 * through the DevTools protocol (Chromium only); resolves once it reports `stopped`.
 */
export async function stopServiceWorker(page: Page, scopeUrl: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const scopes = new Map<string, string>();
    const versions = new Map<string, { registrationId: string; runningStatus: string }>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      for (const r of registrations) scopes.set(r.registrationId, r.scopeURL);
    });
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
      for (const v of updated) versions.set(v.versionId, v);
    });
    await cdp.send('ServiceWorker.enable');
    const running = () =>
      [...versions].find(
        ([, v]) => scopes.get(v.registrationId) === scopeUrl && v.runningStatus === 'running',
      )?.[0];
    await expect.poll(running, { message: `a running worker of scope ${scopeUrl}` }).toBeDefined();
    const versionId = running()!;
    await cdp.send('ServiceWorker.stopWorker', { versionId });
    await expect.poll(() => versions.get(versionId)?.runningStatus).toBe('stopped');
  } finally {
    await detachSoon(cdp);
  }
}

/**
 * Closes a DevTools session, waiting at most a moment: closing has been seen never to return on a
 * heavily loaded machine, and the workers are stopped by then.
 */
async function detachSoon(cdp: CDPSession): Promise<void> {
  await Promise.race([
    cdp.detach().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 2_000)),
  ]);
}
