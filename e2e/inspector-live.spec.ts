/**
 * What the inspector shows while the cache works, through the page API: a streaming write's
 * progress before it completes, counters that restart on clear, and each answer (its
 * Cache-Status) from another tab. The origin's slow route sends its chunks only when the test
 * releases them, so nothing here depends on timing.
 */
import { test, expect } from './fixtures.ts';
import { entryRow, logLines, openDemo, openDemoTabs } from './helpers/demo-app.ts';

const CHUNK = 16_384;
const slowUrl = (id: string) =>
  `/api/slow?id=${id}&chunks=10&chunkSize=${CHUNK}&cc=max-age%3D600&tag=downloads`;

test('a streaming write shows its progress before it completes', async ({ swContext, origin }) => {
  test.setTimeout(45_000);
  const page = await openDemo(swContext, origin.url);
  await page.evaluate((url) => {
    const w = window as unknown as { download?: Promise<number> };
    w.download = fetch(url)
      .then((r) => r.arrayBuffer())
      .then((b) => b.byteLength);
  }, slowUrl('progress'));
  origin.release('progress', 3);

  const write = page.locator('#writes li').filter({ hasText: 'id=progress' });
  await expect(write).toContainText('48 KiB of 160 KiB', { timeout: 10_000 });
  const bar = write.locator('progress');
  await expect(bar).toHaveAttribute('max', String(10 * CHUNK));
  expect(Number(await bar.evaluate((p) => (p as HTMLProgressElement).value))).toBe(3 * CHUNK);
  // Not fresh (nor stored) while its body is being written.
  await expect(entryRow(page, 'id=progress').locator('td').nth(3)).toHaveText('being written');

  origin.release('progress');
  expect(
    await page.evaluate(() => (window as unknown as { download: Promise<number> }).download),
  ).toBe(10 * CHUNK);
  await expect(write).toHaveCount(0);
  await expect(entryRow(page, 'id=progress').locator('td').nth(3)).toHaveText(/^fresh for/);
  await expect(entryRow(page, 'id=progress').locator('td').nth(2)).toHaveText('160 KiB');
});

test('counters and bytes saved restart when the cache is cleared', async ({
  swContext,
  origin,
}) => {
  const page = await openDemo(swContext, origin.url);
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Logo (long max-age)' }).click();
    await expect(logLines(page, 'fetch')).toHaveCount(i + 1);
  }
  await page
    .locator('http-cache-inspector')
    .evaluate((e) => (e as HTMLElement & { refresh(): Promise<void> }).refresh());
  await expect(page.locator('#counts')).toHaveText(/^1 hits · 1 misses/);
  await expect(page.locator('#saved')).toHaveText(/^14 B served from the cache/);
  const stats = await page.evaluate(() => window.httpCache?.stats());
  expect(stats).toMatchObject({ hits: 1, misses: 1, savedBytes: 14 });

  await page.locator('#clear').click();
  await expect(page.locator('#hit-ratio')).toHaveText('Hit ratio — (no answers yet)');
  await expect(page.locator('#counts')).toHaveText(/^0 hits · 0 misses · 0 stale/);
  expect(await page.evaluate(() => window.httpCache?.stats())).toMatchObject({
    entries: 0,
    hits: 0,
    misses: 0,
    stale: 0,
    uncached: 0,
    savedBytes: 0,
  });
});

test('each answer to another tab shows in the first tab with its Cache-Status', async ({
  swContext,
  origin,
}) => {
  test.setTimeout(45_000);
  const [first, second] = await openDemoTabs(swContext, origin.url);
  await second.getByRole('button', { name: 'Logo (long max-age)' }).click();
  await expect(logLines(first, 'miss').first()).toContainText(/id=logo.*fwd=uri-miss/);
  await second.getByRole('button', { name: 'Logo (long max-age)' }).click();
  await expect(logLines(first, 'hit').first()).toContainText(/id=logo.*sw-http-cache; hit/);
  // The stats polling of both inspectors never counted as answers.
  expect(await first.evaluate(() => window.httpCache?.stats())).toMatchObject({
    hits: 1,
    misses: 1,
    uncached: 0,
  });
});
