import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ElectronApplication, _electron as electron, test } from '@playwright/test';
import { expectStillAccepted, tryDemoAndAcceptWithKeyboard } from '../first-run-steps';

/**
 * The real Electron app, wherever its binary exists (CI's hosted runners download it):
 * first run → Try the demo → accept with the keyboard → quit and reopen, the decision is
 * still there. Where the binary is missing the test is reported as skipped, with why.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The same lookup `npm start` makes (scripts/start.mjs): the binary's path, or null. */
async function electronBinary(): Promise<string | null> {
  const start = (await import(new URL('../../../scripts/start.mjs', import.meta.url).href)) as {
    electronBinary: () => string | null;
  };
  return start.electronBinary();
}

/** Why Electron cannot run here, or null when it can. */
function whyNotRunnable(binary: string | null): string | null {
  if (!binary) {
    return (
      "Electron's binary is not present (npm install does not download it; `npm start` or " +
      '`node node_modules/electron/install.js` does, where the internet allows)'
    );
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display for an Electron window (run under xvfb-run on a headless Linux machine)';
  }
  return null;
}

test('Electron: first run → Try the demo → accept with the keyboard → quit and reopen: the decision is still there', async () => {
  test.setTimeout(420_000);
  const binary = await electronBinary();
  const reason = whyNotRunnable(binary);
  test.skip(reason !== null, reason ?? '');

  // The renderer is built by global-setup.ts; main and preload are built here, for Electron only.
  const build = (await import(new URL('../../../scripts/build.mjs', import.meta.url).href)) as {
    buildMain: () => Promise<void>;
    buildPreload: () => Promise<void>;
    copyAssets: () => void;
  };
  await Promise.all([build.buildMain(), build.buildPreload()]);
  build.copyAssets();

  const userData = mkdtempSync(join(tmpdir(), 'creator-inbox-electron-'));
  const launch = () =>
    electron.launch({
      executablePath: binary ?? '',
      args: [root, `--user-data-dir=${userData}`, ...(runningAsRoot ? ['--no-sandbox'] : [])],
    });
  let app: ElectronApplication | null = await launch();
  try {
    const rowId = await tryDemoAndAcceptWithKeyboard(await app.firstWindow());
    await app.close();
    app = await launch();
    await expectStillAccepted(await app.firstWindow(), rowId);
    await app.close();
    app = null;
  } finally {
    await app?.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
