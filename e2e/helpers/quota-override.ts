import type { Page } from '@playwright/test';

/**
 * Gives `origin` a storage quota of `bytes` through the DevTools protocol
 * (`Storage.overrideQuotaForOrigin`), so IndexedDB writes past it fail with
 * `QuotaExceededError` as on a full disk. Chromium only: in other browsers `newCDPSession` throws.
 * Returns a function that removes the override.
 */
export async function overrideQuota(
  page: Page,
  origin: string,
  bytes: number,
): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: bytes });
  return async () => {
    // Without quotaSize the override is removed.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await cdp.detach();
  };
}

/**
 * The origin's usage and quota as the browser's quota manager sees them (CDP
 * `Storage.getUsageAndQuota`). `navigator.storage.estimate()` does not reflect an override in
 * Chromium 156: it still reports the disk-based quota.
 */
export async function usageAndQuota(
  page: Page,
  origin: string,
): Promise<{ usage: number; quota: number; overrideActive: boolean }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { usage, quota, overrideActive } = await cdp.send('Storage.getUsageAndQuota', { origin });
    return { usage, quota, overrideActive };
  } finally {
    await cdp.detach();
  }
}
