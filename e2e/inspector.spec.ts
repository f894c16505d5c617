/**
 * The cache inspector (`<http-cache-inspector>`, src/inspector) in the demo app: no horizontal
 * scroll at 390 px with one-line URLs, no serious accessibility violations (axe-core) in light and
 * dark, events from another tab, a log that keeps its numbers across a reload. Chromium writes the
 * README's screenshots (docs/inspector-desktop.png, docs/inspector-mobile.png).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { entryRow, logLines, openDemo, openDemoTabs } from './helpers/demo-app.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's violations of impact serious or critical on the whole page (shadow roots included). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
}

/** Opens the demo at `viewport`, fetches every demo resource and waits until the inspector lists them. */
async function openFilledDemo(
  context: BrowserContext,
  originUrl: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await openDemo(context, originUrl);
  await page.setViewportSize(viewport);
  await page.getByRole('button', { name: 'Fetch all' }).click();
  await expect(entryRow(page, 'id=download')).toHaveCount(1, { timeout: 10_000 });
  // The download's fetch line comes when its body is read whole, maybe after the next click's.
  await expect(logLines(page, 'fetch').filter({ hasText: 'download → 200' })).toHaveCount(1, {
    timeout: 15_000,
  });
  await page.getByRole('button', { name: 'Logo (long max-age)' }).click();
  await expect(logLines(page, 'fetch').filter({ hasText: 'logo → 200' }).first()).toContainText(
    'hit',
  );
  await expect(page.locator('#hit-ratio')).toContainText('Hit ratio');
  return page;
}

test('at 390 px wide nothing scrolls sideways and URLs stay on one line', async ({
  swContext,
  origin,
  browserName,
}) => {
  test.setTimeout(45_000);
  const page = await openFilledDemo(swContext, origin.url, { width: 390, height: 844 });

  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, 'page width at 390 px').toBeLessThanOrEqual(widths.viewport);

  // The news URL is long: one line, cut with an ellipsis, decoded, the whole URL in its title.
  const url = entryRow(page, 'id=news').locator('.url');
  const box = await url.evaluate((element) => ({
    height: element.getBoundingClientRect().height,
    lineHeight: parseFloat(getComputedStyle(element).lineHeight),
    clipped: element.scrollWidth > element.clientWidth,
    width: element.getBoundingClientRect().width,
  }));
  expect(box.height).toBeLessThan(box.lineHeight * 1.5);
  expect(box.clipped).toBe(true);
  expect(box.width).toBeGreaterThan(200);
  await expect(url).toContainText('cc=max-age=5, stale-if-error=86400');
  await expect(url).toHaveAttribute('title', /max-age%3D5/);

  if (browserName === 'chromium') {
    await page.screenshot({ path: docs('inspector-mobile.png'), fullPage: true });
  }
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(colorScheme, () => {
    test.use({ colorScheme });
    test(`axe finds no serious violations in the ${colorScheme} scheme`, async ({
      swContext,
      origin,
      browserName,
    }) => {
      test.setTimeout(45_000);
      const page = await openFilledDemo(swContext, origin.url, { width: 1280, height: 900 });
      // The scheme reached the inspector's own stylesheet.
      const background = await page
        .locator('http-cache-inspector')
        .evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(17, 24, 39)' : 'rgb(255, 255, 255)');

      expect(await seriousViolations(page)).toEqual([]);

      if (browserName === 'chromium' && colorScheme === 'light') {
        await page.screenshot({ path: docs('inspector-desktop.png'), fullPage: true });
      }
    });
  });
}

test('events from a second tab appear in the first; the log keeps its numbers across a reload', async ({
  swContext,
  origin,
}) => {
  test.setTimeout(45_000);
  const [first, second] = await openDemoTabs(swContext, origin.url);
  await second.getByRole('button', { name: 'Logo (long max-age)' }).click();
  const stored = logLines(first, 'stored').first();
  await expect(stored).toContainText('id=logo');
  await expect(logLines(first, 'fetch')).toHaveCount(0); // the fetch itself was the other tab's

  // Filters: hiding "stored" hides the line, showing it again brings it back.
  await first.getByRole('checkbox', { name: 'stored' }).uncheck();
  await expect(logLines(first, 'stored')).toHaveCount(0);
  await first.getByRole('checkbox', { name: 'stored' }).check();
  await expect(logLines(first, 'stored')).toHaveCount(1);

  const before = await logLines(first).evaluateAll((lines) =>
    lines.map((line) => `${(line as HTMLElement).dataset['n']} ${line.textContent}`),
  );
  expect(before.length).toBeGreaterThan(0);
  await first.reload();
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true');
  const after = await logLines(first).evaluateAll((lines) =>
    lines.map((line) => `${(line as HTMLElement).dataset['n']} ${line.textContent}`),
  );
  expect(after.slice(-before.length)).toEqual(before);

  // A new line gets the next number, not 1.
  const last = Math.max(...before.map((line) => Number(line.split(' ')[0])));
  await first.getByRole('button', { name: 'News (short max-age + ETag)' }).click();
  await expect(logLines(first, 'fetch').first()).toHaveAttribute('data-n', /\d+/);
  const n = Number(await logLines(first, 'fetch').first().getAttribute('data-n'));
  expect(n).toBeGreaterThan(last);
});
