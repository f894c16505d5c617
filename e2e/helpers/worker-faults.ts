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
