import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserHost, startBrowserHost } from '../../electron/browser-host';
import { expectStillAccepted, tryDemoAndAcceptWithKeyboard } from './first-run-steps';
import { test } from './fixtures';

/** The browser host's half of the first-run story; electron/first-run.spec.ts tells it in Electron. */
test('first run → Try the demo → accept with the keyboard → restart the host: the decision is still there', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-e2e-first-run-'));
  const start = () => startBrowserHost({ dataDir, port: 0, open: false, build: 'never' });
  let host: BrowserHost = await start();
  try {
    await page.goto(host.url);
    const rowId = await tryDemoAndAcceptWithKeyboard(page);
    await host.stop();
    host = await start();
    await page.goto(host.url);
    await expectStillAccepted(page, rowId);
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
