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
 * The unhandled rejection an engine records in the worker's global scope when the worker answers
 * a request with a network error (`respondWith(Response.error())`; in Firefox a rejected
 * `respondWith` promise is reported too, as `FetchEvent.respondWith() Promise rejected`). Not
 * thrown by the library's code as far as we can tell (docs/RELIABILITY.md, open findings).
 * Chromium records nothing.
 */
const ENGINE_NETWORK_ERRORS: Readonly<Record<string, string>> = {
  firefox: 'NetworkError: AutoCancel',
  webkit: 'NetworkError:  A network error occurred.',
};

/**
 * Like {@link expectNoWorkerFaults}, except for the engine's own rejection on a network error
 * answered by the worker ({@link ENGINE_NETWORK_ERRORS}): tolerated only with that message, and
 * at most `networkErrors` times (the network errors the test caused).
 */
export async function expectNoWorkerFaultsButEngineNetworkErrors(
  page: Page,
  browserName: string,
  networkErrors: number,
): Promise<void> {
  const message = ENGINE_NETWORK_ERRORS[browserName];
  if (message === undefined) return expectNoWorkerFaults(page);
  const faults = await readWorkerFaults(page);
  for (const fault of faults) {
    expect(fault).toMatchObject({ kind: 'unhandledrejection', message });
  }
  expect(faults.length).toBeLessThanOrEqual(networkErrors);
  console.log(
    `${browserName}: ${faults.length} "${message}" rejections for ${networkErrors} network errors`,
  );
}
