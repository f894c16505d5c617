/** Types for scripts/find-browsers.mjs (plain JavaScript so Node runs it without a TS loader). */

export type BrowserName = 'chromium' | 'firefox' | 'webkit';

export interface FoundBrowser {
  name: BrowserName;
  /** Where it was found: an env var, a system package, Playwright's download, or nowhere. */
  source: 'env' | 'system' | 'playwright' | 'none';
  /** Undefined means "let Playwright use its own build". */
  executablePath: string | undefined;
  /** For WebKit: MiniBrowser, WebKitWebDriver and Xvfb all exist. */
  found: boolean;
  /** WebKit only: the WebDriver server (`WebKitWebDriver`). */
  driverPath?: string;
  /** WebKit only: the X server MiniBrowser displays on (`Xvfb`). */
  xvfbPath?: string;
  /** One line for logs. */
  description: string;
}

/** Quiet, deterministic Chromium switches, shared by the tests and the benches. */
export declare const CHROMIUM_ARGS: readonly string[];

export declare const BROWSER_LOCATIONS: Record<
  BrowserName,
  { envVar: string; systemPaths: string[] }
>;

export declare const WEBKIT_HELPER_LOCATIONS: Record<
  'driver' | 'xvfb',
  { envVar: string; systemPaths: string[] }
>;

export declare function findBrowser(name: BrowserName, env?: NodeJS.ProcessEnv): FoundBrowser;

export declare const WEBKIT_HELPER_LOCATIONS: Record<
  'driver' | 'xvfb',
  { envVar: string; systemPaths: string[] }
>;

export declare function findBrowsers(env?: NodeJS.ProcessEnv): Record<BrowserName, FoundBrowser>;
