import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, BrowserType, LaunchOptions } from '@playwright/test';

/** What a test needs from Playwright's fixtures to launch its own browsers. */
export interface LaunchFixtures {
  browserType: BrowserType;
  launchOptions: LaunchOptions;
  channel: string | undefined;
  headless: boolean;
}

/**
 * A profile directory a test owns, so it can close the browser and launch it again on the same
 * on-disk state (service worker registrations, IndexedDB): a full restart that works in every
 * browser, unlike stopping the worker over CDP.
 */
export class ReusableProfile {
  private constructor(
    readonly dir: string,
    private readonly fixtures: LaunchFixtures,
  ) {}

  static async create(fixtures: LaunchFixtures): Promise<ReusableProfile> {
    const name = fixtures.browserType.name();
    return new ReusableProfile(
      await mkdtemp(join(tmpdir(), `sw-http-cache-e2e-${name}-`)),
      fixtures,
    );
  }

  /** A persistent context on this profile; close it before launching the next one. */
  launch(): Promise<BrowserContext> {
    const { browserType, launchOptions, channel, headless } = this.fixtures;
    return browserType.launchPersistentContext(this.dir, { ...launchOptions, channel, headless });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
