import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { WorkerFault } from '../../demo/fault-log.ts';

export type { WorkerFault };

/**
 * The uncaught errors and unhandled rejections the worker controlling `page` has recorded since
 * it started (demo/fault-log.ts). Empty means none.
 */
export function readWorkerFaults(page: Page): Promise<WorkerFault[]> {
  return page.evaluate(async () => {
    const response = await fetch('/__sw/faults');
    if (!response.ok) throw new Error(`/__sw/faults answered ${response.status}`);
    return (await response.json()) as WorkerFault[];
  });
}

/** Fails the test, listing them, when the worker controlling `page` has recorded any fault. */
export async function expectNoWorkerFaults(page: Page): Promise<void> {
  expect(await readWorkerFaults(page), 'uncaught errors in the worker').toEqual([]);
}

/**
 * Like {@link expectNoWorkerFaults}, except in Firefox ESR, which reports an unhandled rejection
 * `NetworkError: AutoCancel` in the worker's global scope when the worker answers a request with
 * a network error (`respondWith(Response.error())`; a rejected `respondWith` promise is reported
 * too, as `FetchEvent.respondWith() Promise rejected`). Not thrown by the library's code as far as
 * we can tell (docs/RELIABILITY.md, open findings). Tolerated only in Firefox, only with that
 * message, and at most `networkErrors` times (the network errors the test caused).
 */
export async function expectNoWorkerFaultsButFirefoxAutoCancel(
  page: Page,
  browserName: string,
  networkErrors: number,
): Promise<void> {
  if (browserName !== 'firefox') return expectNoWorkerFaults(page);
  const faults = await readWorkerFaults(page);
  for (const fault of faults) {
    expect(fault).toMatchObject({
      kind: 'unhandledrejection',
      message: 'NetworkError: AutoCancel',
    });
  }
  expect(faults.length).toBeLessThanOrEqual(networkErrors);
  console.log(
    `firefox: ${faults.length} AutoCancel rejections for ${networkErrors} network errors`,
  );
}
