import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests in Chromium through the browser host (tests/e2e/fixtures.ts starts a
 * fresh host per test), and in the real Electron app where its binary exists
 * (tests/e2e/electron). The system Chromium is used when present: Playwright's own browser
 * cannot be downloaded on the build machines.
 */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const chromiumArgs = [
  ...(runningAsRoot ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results/playwright-artifacts',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: 'electron/**',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
          args: chromiumArgs,
        },
      },
    },
    {
      // The real Electron app; skipped, with the reason, where its binary is not present.
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts',
    },
  ],
});
