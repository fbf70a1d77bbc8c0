import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/contract';
import { createFakeElectron, type FakeElectron } from './fake-electron';

/**
 * The bundled main process (what `npm start` and the installers run), started under Node
 * with a fake `electron` module — the Electron binary cannot be downloaded here. The core
 * behind it is real (SQLite in a temporary folder), so this proves the wiring: the window,
 * the app:// scheme, the guarded IPC bridge, deep links, the badge, window state, quitting.
 */
const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = join(root, 'dist', `main-wiring-${process.pid}`);
let userData = '';
let fake: FakeElectron;
const appFrame = { url: 'app://creator-inbox/index.html', parent: null };

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const invoke = (frame: unknown, name: string, input: unknown) => {
  const handler = fake.ipcHandlers.get(IPC_INVOKE_CHANNEL);
  if (!handler) throw new Error('bridge handler not registered');
  return handler({ senderFrame: frame }, name, input);
};

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'main-wiring-'));
  const { buildMain } = (await import('../../../scripts/build.mjs' as string)) as {
    buildMain(options: { outfile: string }): Promise<void>;
  };
  await buildMain({ outfile: join(outDir, 'electron/main/index.cjs') });
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  writeFileSync(join(outDir, 'renderer/index.html'), '<!doctype html><title>Creator Inbox</title>');

  fake = createFakeElectron(userData);
  // The first-run demo warm-up boots a whole platform; it has its own tests.
  process.env.CREATOR_INBOX_DEMO_PREWARM = '0';
  const electronPath = require.resolve('electron');
  require.cache[electronPath] = {
    id: electronPath,
    filename: electronPath,
    loaded: true,
    exports: fake.electron,
  } as NodeJS.Module;
  require(join(outDir, 'electron/main/index.cjs'));
  fake.electron.app.readyResolve();
  await until(() => fake.windows.length === 1 && fake.electron.app.badgeCounts.length > 0, 'the window and badge');
}, 60_000);

afterAll(async () => {
  if (fake) {
    let prevented = false;
    fake.electron.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    await until(() => fake.electron.app.quitCalls > 0, 'quit after the core closed');
    expect(prevented).toBe(true);
  }
  delete require.cache[require.resolve('electron')];
  delete process.env.CREATOR_INBOX_DEMO_PREWARM;
  rmSync(outDir, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

describe('Electron main wiring (bundled main, fake electron module, real core, no Electron binary)', () => {
  it('takes the single-instance lock and registers app:// as a privileged scheme and creatorinbox:// as its link', () => {
    expect(fake.electron.app.singleInstanceRequested).toBe(true);
    expect(fake.privileged).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }),
      }),
    ]);
    expect(fake.electron.app.protocolClients[0]?.[0]).toBe('creatorinbox');
  });

  it('opens one sandboxed, isolated window on the app page with the built preload', () => {
    const [window] = fake.windows;
    const prefs = window?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String(prefs.preload)).toBe(join(outDir, 'electron/preload/index.cjs'));
    expect(window?.webContents.url).toBe('app://creator-inbox/index.html');
    expect(window?.shown).toBe(true);
    expect(fake.menus).toHaveLength(1);
  });

  it('serves the renderer over app:// with the CSP header, and nothing outside it', async () => {
    const handler = fake.protocolHandlers.get('app');
    if (!handler) throw new Error('app:// handler not registered');
    const page = await handler({ url: 'app://creator-inbox/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect(await page.text()).toContain('<title>Creator Inbox</title>');
    expect((await handler({ url: 'app://creator-inbox/%2e%2e/%2e%2e/package.json' })).status).toBe(404);
    expect((await handler({ url: 'app://elsewhere/index.html' })).status).toBe(404);
  });

  it('answers the app page from the real core, and refuses other senders and bad input', async () => {
    await expect(invoke(appFrame, 'app.info', {})).resolves.toEqual({
      ok: true,
      value: { version: '9.9.9-test', shell: 'electron', platform: process.platform, canShowInFolder: true },
    });
    await expect(invoke(appFrame, 'accounts.list', {})).resolves.toEqual({ ok: true, value: [] });
    await expect(invoke({ url: 'https://evil.example/', parent: null }, 'accounts.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    await expect(invoke(appFrame, 'accounts.signOut', { accountId: [] })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('records where a download was saved, tells the page, and shows only recorded files in their folder', async () => {
    const contents = fake.windows[0]?.webContents;
    const before = contents?.sent.length ?? 0;
    const savedAt = join(userData, 'Documents', 'my earnings.csv');
    const saved = fake.createFakeDownload('earnings-2026-12.csv', savedAt);
    const dropped = fake.createFakeDownload('earnings-2026-11.csv', '');
    fake.electron.session.defaultSession.emit('will-download', {}, saved, contents);
    fake.electron.session.defaultSession.emit('will-download', {}, dropped, contents);
    saved.emit('done', {}, 'completed');
    dropped.emit('done', {}, 'cancelled');
    expect(contents?.sent.slice(before)).toEqual([
      [IPC_EVENT_CHANNEL, 'files.downloaded', { fileName: 'earnings-2026-12.csv', state: 'completed', path: savedAt }],
      [IPC_EVENT_CHANNEL, 'files.downloaded', { fileName: 'earnings-2026-11.csv', state: 'cancelled', path: null }],
    ]);

    await expect(invoke(appFrame, 'files.showInFolder', { path: savedAt })).resolves.toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(fake.electron.shell.shownInFolder).toEqual([savedAt]);

    // Anything this session did not save is refused, with a reason, and nothing opens.
    for (const path of [join(userData, 'tokens.json'), '/etc/passwd', `${savedAt}/..`, 'my earnings.csv']) {
      await expect(invoke(appFrame, 'files.showInFolder', { path })).resolves.toMatchObject({
        ok: false,
        error: { code: 'not_found', message: expect.stringContaining('did not save') },
      });
    }
    for (const input of [{}, { path: 42 }, { path: '' }, { path: 'x'.repeat(5000) }]) {
      await expect(invoke(appFrame, 'files.showInFolder', input)).resolves.toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    await expect(
      invoke({ url: 'https://evil.example/', parent: null }, 'files.showInFolder', { path: savedAt }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(fake.electron.shell.shownInFolder).toEqual([savedAt]);
  });

  it('guards every new web contents and denies permissions other than notifications', () => {
    const contents = fake.windows[0]?.webContents;
    expect(contents?.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    let prevented = false;
    contents?.emit('will-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    const answers: boolean[] = [];
    fake.permission.request?.({}, 'media', (granted: boolean) => answers.push(granted), {
      requestingUrl: appFrame.url,
    });
    fake.permission.request?.({}, 'notifications', (granted: boolean) => answers.push(granted), {
      requestingUrl: appFrame.url,
    });
    expect(answers).toEqual([false, true]);
  });

  it('focuses the window on a second launch and hands it the deep link', () => {
    const contents = fake.windows[0]?.webContents;
    const before = contents?.sent.length ?? 0;
    fake.electron.app.emit('second-instance', {}, ['/opt/Creator Inbox', 'creatorinbox://inbox/pending']);
    fake.electron.app.emit('second-instance', {}, ['/opt/Creator Inbox', 'creatorinbox://settings/evil']);
    expect(contents?.sent.slice(before)).toEqual([
      [IPC_EVENT_CHANNEL, 'app.navigate', { kind: 'view', view: 'pending' }],
    ]);
  });

  it('shows the pending count on the badge and tray (zero with no account)', () => {
    expect(fake.electron.app.badgeCounts.at(-1)).toBe(0);
    expect(fake.trays[0]?.tooltips.at(-1)).toBe('Creator Inbox');
  });

  it('remembers the window’s size and position', () => {
    const window = fake.windows[0];
    if (!window) throw new Error('no window');
    window.bounds = { x: 120, y: 80, width: 1111, height: 777 };
    window.emit('resize');
    window.emit('close');
    const file = join(userData, 'window-state.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      bounds: { x: 120, y: 80, width: 1111, height: 777 },
      maximized: false,
    });
  });
});
