/**
 * WebKit for the end-to-end tests: WebKitGTK's MiniBrowser, driven over W3C WebDriver by
 * `WebKitWebDriver`, on an Xvfb display. Playwright's own WebKit build cannot be had on Debian,
 * but Debian's WebKitGTK is current; Playwright cannot drive it, so the tests reach it through
 * the `webdriver` package (WebdriverIO's protocol client: small, maintained, runs on Node 20,
 * where `selenium-webdriver`'s current release needs Node 22). One display and one driver serve a
 * whole test worker; every test gets its own session (a fresh MiniBrowser, see
 * webdriver-page.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import process from 'node:process';
import type { FoundBrowser } from '../../scripts/find-browsers.mjs';
import { WebDriverContext } from './webdriver-page.ts';

/** A running Xvfb and WebKitWebDriver, ready for sessions. */
export interface WebKitServer {
  /** Starts MiniBrowser in a new WebDriver session: a browser context with one blank window. */
  newContext(): Promise<WebDriverContext>;
  stop(): Promise<void>;
}

/** Keeps the last few KB a child process wrote, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts Xvfb on a display it picks itself (`-displayfd`); resolves with `:N` once it listens. */
function startXvfb(xvfbPath: string): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(
    xvfbPath,
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const output = tail(xvfb);
  return new Promise((resolve, reject) => {
    let number = '';
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      number += chunk.toString();
      if (number.endsWith('\n')) resolve({ display: `:${number.trim()}`, process: xvfb });
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${output()}`)));
  });
}

/** Resolves once the driver answers `GET /status` as ready, or rejects after `timeoutMs`. */
async function waitForDriver(port: number, driver: ChildProcess, output: () => string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) {
      throw new Error(`WebKitWebDriver exited (${driver.exitCode}): ${output()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      const status = (await response.json()) as { value?: { ready?: boolean } };
      if (status.value?.ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`WebKitWebDriver did not start on port ${port}: ${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts one Xvfb and one WebKitWebDriver for `browser` (from scripts/find-browsers.mjs). */
export async function startWebKitServer(browser: FoundBrowser): Promise<WebKitServer> {
  const { executablePath, driverPath, xvfbPath } = browser;
  if (!browser.found || !executablePath || !driverPath || !xvfbPath) {
    throw new Error(`WebKit is not installed: ${browser.description}`);
  }
  const xvfb = await startXvfb(xvfbPath);
  const port = await freePort();
  const driver = spawn(driverPath, [`--port=${port}`, '--host=local'], {
    stdio: process.env['WK_CONSOLE'] ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: xvfb.display },
  });
  const output = tail(driver);
  try {
    await waitForDriver(port, driver, output);
  } catch (error) {
    await Promise.all([stopProcess(driver), stopProcess(xvfb.process)]);
    throw error;
  }

  return {
    async newContext() {
      // WebdriverIO's loggers take their level from WDIO_LOG_LEVEL when the module loads, and
      // would log every session at `info`: hence the late import.
      process.env['WDIO_LOG_LEVEL'] ??= 'warn';
      const { default: WebDriver } = await import('webdriver');
      const client = await WebDriver.newSession({
        hostname: '127.0.0.1',
        port,
        logLevel: 'error',
        connectionRetryCount: 0,
        capabilities: {
          // MiniBrowser's automation mode: the session owns the browser, with ephemeral storage.
          'webkitgtk:browserOptions': {
            binary: executablePath,
            args: [
              '--automation',
              ...(process.env['WK_CONSOLE']
                ? ['--enable-write-console-messages-to-stdout=true']
                : []),
            ],
          },
        } as WebdriverIO.Capabilities,
      });
      // Scripts wait in the page at most briefly (webdriver-page.ts); page loads as Playwright's.
      await client.setTimeouts(0, 30_000, 60_000);
      return WebDriverContext.create(client);
    },
    async stop() {
      await Promise.all([stopProcess(driver), stopProcess(xvfb.process)]);
    },
  };
}
