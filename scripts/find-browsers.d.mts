/** Types for scripts/find-browsers.mjs (plain JavaScript so Node runs it without a TS loader). */

export type BrowserName = 'chromium' | 'firefox';

export interface FoundBrowser {
  name: BrowserName;
  /** Where it was found: an env var, a system package, Playwright's download, or nowhere. */
  source: 'env' | 'system' | 'playwright' | 'none';
  /** Undefined means "let Playwright use its own build". */
  executablePath: string | undefined;
  found: boolean;
  /** One line for logs. */
  description: string;
}

export declare const BROWSER_LOCATIONS: Record<
  BrowserName,
  { envVar: string; systemPaths: string[] }
>;

export declare function findBrowser(name: BrowserName, env?: NodeJS.ProcessEnv): FoundBrowser;

export declare function findBrowsers(env?: NodeJS.ProcessEnv): Record<BrowserName, FoundBrowser>;
