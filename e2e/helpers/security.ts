/**
 * What the security specs (e2e/reliability-security-*.spec.ts, issue 8) share: the figures they
 * report for docs/RELIABILITY.md, what the worker's IndexedDB holds, and unique body markers.
 */
import type { Page, TestInfo } from '@playwright/test';
import { readCacheDb } from './cache-db.ts';
import { scaled } from './reliability-scale.ts';

/** Each security test launches its own browser profile: Firefox takes long to start when loaded. */
export const SECURITY_TIMEOUT = scaled(60_000, 180_000);

/** Records a figure for the docs: printed, and kept as a test annotation. */
export function report(testInfo: TestInfo, figures: Record<string, number | string>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  testInfo.annotations.push({ type: 'figures', description: text });
  console.log(`[security ${testInfo.project.name}] ${testInfo.title}: ${text}`);
}

/** URLs (path and query) the worker's IndexedDB holds a meta record for. */
export async function storedPaths(page: Page, name?: string): Promise<string[]> {
  const { metas } = await readCacheDb(page, name);
  return metas.map((meta) => {
    const url = new URL(meta.primary);
    return url.origin === new URL(page.url()).origin ? url.pathname + url.search : url.href;
  });
}

/** A text unique to this test run, put into a body so storage can be searched for it. */
export function marker(label: string): string {
  return `secret-${label}-${Math.random().toString(36).slice(2)}`;
}
