import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startBrowserHost } from '../../electron/browser-host';

export interface HostFixture {
  /** A fresh one-time launch address each time it is read (a browser spends its code on first use). */
  readonly url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * `host`: a fresh browser host per test on its own temporary data folder, with the real
 * core and the embedded demo platform available (started only when the page asks for it,
 * e.g. "Try the demo"). The renderer is built once per run by global-setup.ts.
 */
/** The page and its host together, for helpers that drive both (inbox-helpers' inScenario). */
export interface AppFixture {
  page: Page;
  host: HostFixture;
}

export const test = base.extend<{ host: HostFixture; showTour: boolean; app: AppFixture }>({
  // The first-run key tour is a corner card; specs about other things start with it already
  // seen (as on any later day), and the tour's own spec turns it back on.
  showTour: [false, { option: true }],
  page: async ({ page, showTour }, use) => {
    if (!showTour) await page.addInitScript(() => localStorage.setItem('creator-inbox.tour', 'done'));
    await use(page);
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern.
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-e2e-'));
    const host = await startBrowserHost({ dataDir, port: 0, open: false, build: 'never' });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await host.stop();
    };
    await use({
      get url() {
        return host.newLaunchUrl();
      },
      dataDir,
      stop,
    });
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
  app: async ({ page, host }, use) => {
    await use({ page, host });
  },
});

export { expect };
