import type { Page } from '@playwright/test';

/** How a fetch started by {@link startPageFetch} ended. */
export type BackgroundFetchOutcome =
  { ok: true; status: number; bodySize: number; sha256: string } | { ok: false; error: string };

declare global {
  interface Window {
    /** Fetches started by {@link startPageFetch}, by name. */
    backgroundFetches?: Record<string, Promise<BackgroundFetchOutcome>>;
  }
}

/**
 * Starts a fetch of `path` in the page and returns at once, so the test can act while the
 * response streams (stop the worker, release chunks). The page reads the whole body; collect the
 * outcome with {@link pageFetchOutcome}. A fetch or body read that fails is an outcome too.
 */
export async function startPageFetch(page: Page, name: string, path: string): Promise<void> {
  await page.evaluate(
    ({ name, path }) => {
      const run = async (): Promise<BackgroundFetchOutcome> => {
        try {
          const response = await fetch(path);
          const bytes = new Uint8Array(await response.arrayBuffer());
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
          const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
          return { ok: true, status: response.status, bodySize: bytes.length, sha256 };
        } catch (error) {
          return { ok: false, error: String(error) };
        }
      };
      window.backgroundFetches ??= {};
      window.backgroundFetches[name] = run();
    },
    { name, path },
  );
}

/** Waits for the fetch started under `name` to end and returns what the page got. */
export function pageFetchOutcome(page: Page, name: string): Promise<BackgroundFetchOutcome> {
  return page.evaluate(async (name) => {
    const pending = window.backgroundFetches?.[name];
    if (pending === undefined) throw new Error(`no background fetch named ${name}`);
    return pending;
  }, name);
}
