/**
 * The demo app's promise, in every browser: after one visit it opens with the whole origin down
 * (static files included) and still answers what it stored. demo-dashboard.spec.ts checks the
 * same and the dashboard's details through Playwright locators; this one needs only page
 * scripts, so it runs in WebKit (over WebDriver) too.
 */
import { expect, test } from './fixtures.ts';
import { parseCacheStatus } from './helpers/cache-status.ts';
import { openDemo } from './helpers/demo-app.ts';
import { pageFetch } from './helpers/page-fetch.ts';
import { RESOURCES } from '../demo/resources.ts';

test('after one visit the demo opens with the origin down and serves what it stored', async ({
  swContext,
  origin,
}) => {
  const logo = RESOURCES.find((resource) => resource.id === 'logo')!;
  const page = await openDemo(swContext, origin.url);
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('button[data-resource="logo"]')!.click();
  });
  const listed = (url: string) =>
    page.waitForFunction(
      // The inspector renders in its shadow root, which page scripts reach through the element.
      (url) =>
        document
          .querySelector('http-cache-inspector')
          ?.shadowRoot?.querySelector(`#entries tbody tr[data-url="${CSS.escape(url)}"]`) != null,
      url,
      { timeout: 10_000 },
    );
  await listed(`${origin.url}${logo.url}`);

  origin.setOffline(true, { static: true });
  await page.reload();
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, {
    timeout: 10_000,
  });
  await page.waitForFunction(
    () => document.querySelector<HTMLElement>('#offline-banner')?.hidden === false,
    undefined,
    { timeout: 10_000 },
  );
  expect(await page.evaluate(() => document.querySelector('#offline-banner')?.textContent)).toMatch(
    /^Offline/,
  );
  await listed(`${origin.url}${logo.url}`);

  const offline = await pageFetch(page, logo.url);
  expect(offline.status).toBe(200);
  expect(offline.bodyText).toBe('the logo bytes');
  expect(parseCacheStatus(offline.headers['cache-status']).hit).toBe(true);
  expect(origin.count(logo.url)).toBe(1);
});
