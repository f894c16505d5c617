/**
 * The demo app end to end: its inspector lists what the cache stored and logs events live, its
 * controls purge and clear, two tabs see each other's events and share one download, and after
 * one visit it opens with the origin down. Screenshots of the dashboard online and offline are
 * attached to the report (the README's screenshots come from e2e/inspector.spec.ts).
 */
import { test, expect } from './fixtures.ts';
import { entryRow, logLines, openDemo, openDemoTabs, purgeBy } from './helpers/demo-app.ts';

test('the dashboard lists entries, hit ratio and events, and works offline after one visit', async ({
  swContext,
  origin,
}, testInfo) => {
  test.setTimeout(60_000);
  const page = await openDemo(swContext, origin.url);

  await page.getByRole('button', { name: 'Fetch all' }).click();
  await expect(entryRow(page, 'id=logo')).toHaveCount(1);
  await expect(entryRow(page, 'id=download')).toHaveCount(1, { timeout: 10_000 });
  // Two X-Lang variants of one URL, one row.
  await expect(entryRow(page, 'id=greeting').locator('td').nth(5)).toHaveText('2');
  // The failing endpoint is never stored.
  await expect(entryRow(page, '/api/error')).toHaveCount(0);
  await expect(logLines(page, 'stored').first()).toBeVisible();
  // The download's row shows while its body still streams; its fetch line comes when the page has
  // read it all, which may be after the next click's line (seen in Firefox): wait for it first.
  await expect(logLines(page, 'fetch').filter({ hasText: 'download → 200' })).toHaveCount(1, {
    timeout: 15_000,
  });

  await page.getByRole('button', { name: 'Logo (long max-age)' }).click();
  const logoLines = logLines(page, 'fetch').filter({ hasText: 'logo → 200' });
  await expect(logoLines).toHaveCount(2);
  await expect(logoLines.first()).toContainText('hit');
  await expect(page.locator('#hit-ratio')).toHaveText(
    /^Hit ratio [1-9]\d*% \(\d+ of \d+ answers\)$/,
  );
  await expect(entryRow(page, 'id=logo').locator('td').nth(4)).toHaveText('hit');
  await expect(entryRow(page, 'id=logo').locator('td').nth(3)).toHaveText(/^fresh for/);

  const online = await page.screenshot({ fullPage: true });
  await testInfo.attach('dashboard-online', { body: online, contentType: 'image/png' });

  // The whole origin goes down, static files included; a new visit must still open the app.
  origin.setOffline(true, { static: true });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#offline-banner')).toBeVisible();
  await expect(page.locator('#offline-banner')).toContainText('Offline');
  await expect(entryRow(page, 'id=logo')).toHaveCount(1);
  await expect(entryRow(page, 'id=news')).toHaveCount(1);

  await page.getByRole('button', { name: 'News (short max-age + ETag)' }).click();
  await expect(logLines(page, 'fetch').first()).toContainText('news → 200');
  await page.getByRole('button', { name: 'Logo (long max-age)' }).click();
  await expect(logLines(page, 'fetch').first()).toContainText(/logo → 200.*hit/);

  const offline = await page.screenshot({ fullPage: true });
  await testInfo.attach('dashboard-offline', { body: offline, contentType: 'image/png' });
});

test('purge one entry, purge a tag and clear all, each logged as an event', async ({
  swContext,
  origin,
}) => {
  const page = await openDemo(swContext, origin.url);
  for (const name of [
    'Logo (long max-age)',
    'News (short max-age + ETag)',
    'Feed (stale-while-revalidate)',
  ]) {
    await page.getByRole('button', { name }).click();
  }
  await expect(page.locator('#entries tbody tr')).toHaveCount(3);

  await entryRow(page, 'id=logo').getByRole('button', { name: 'Purge' }).click();
  await expect(logLines(page, 'purged').first()).toContainText('id=logo');
  await expect(entryRow(page, 'id=logo')).toHaveCount(0);

  await purgeBy(page, 'tag', 'news');
  await expect(logLines(page, 'action').first()).toContainText('purged tag news (2 removed)');
  await expect(page.locator('#entries tbody tr')).toHaveCount(0);

  await page.getByRole('button', { name: 'Logo (long max-age)' }).click();
  await expect(page.locator('#entries tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(logLines(page, 'cleared').first()).toBeVisible();
  await expect(page.locator('#entries tbody tr')).toHaveCount(0);
  await expect(page.locator('#entries-empty')).toBeVisible();
});

test('two tabs: one download for both, and each tab logs the other tab’s events', async ({
  swContext,
  origin,
}) => {
  test.setTimeout(45_000);
  const [first, second] = await openDemoTabs(swContext, origin.url);
  await Promise.all([
    first.getByRole('button', { name: 'Download (slow, streamed)' }).click(),
    second.getByRole('button', { name: 'Download (slow, streamed)' }).click(),
  ]);
  for (const page of [first, second]) {
    await expect(logLines(page, 'fetch').first()).toContainText('download → 200, 327680 B', {
      timeout: 10_000,
    });
    await expect(logLines(page, 'stored').first()).toContainText('id=download');
  }
  expect(origin.count('/api/slow')).toBe(1);

  // An eviction-free purge from the second tab shows up in the first.
  await entryRow(second, 'id=download').getByRole('button', { name: 'Purge' }).click();
  await expect(logLines(first, 'purged').first()).toContainText('id=download');
});

test('evictions appear in both tabs when the budget is small', async ({ swContext, origin }) => {
  test.setTimeout(45_000);
  // Both tabs use the worker configured by the page's query (one worker for the origin). The
  // first page asks for it on its first load, so no other worker has to be replaced first.
  const first = await openDemo(swContext, origin.url, '/?maxBytes=250000');
  expect(await first.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toContain(
    'maxBytes=250000',
  );
  const second = await swContext.newPage();
  await second.goto(`${origin.url}/?maxBytes=250000`);
  await expect(second.locator('body')).toHaveAttribute('data-ready', 'true');

  await first.getByRole('button', { name: /Fill the cache/ }).click();
  for (const page of [first, second]) {
    await expect(logLines(page, 'evicted').first()).toBeVisible({ timeout: 10_000 });
  }
  await expect(first.locator('#usage')).toContainText(/^2 entries/, { timeout: 15_000 });
});
