/**
 * The Electron shell: lifecycle and wiring only. Every decision (window options, CSP,
 * guards, sender check, vault, window state, deep links, badge and notifications) lives in
 * the small modules next to this file, which are unit-tested under Node with fakes.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import log from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import { createDemoLauncherInWorker } from '../../server/demo/in-worker';
import type { DemoLauncher } from '../../server/demo/launcher';
import { prewarmDemoOnFirstRun } from '../../server/demo/prewarm';
import { dispatchCall, rendererCsp } from '../../shared/contract';
import type { Core } from '../core';
import { createCoreInWorker } from '../core/worker/host';
import { appRequestToFile, mimeTypeOf } from './app-files';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, DEEP_LINK_SCHEME } from './app-origin';
import { badgeLabel, watchAttention } from './attention';
import { type DeepLinkTarget, deepLinkFromArgv, parseDeepLink } from './deep-link';
import { recordDownloads } from './downloads';
import { registerBridgeIpc, sendBridgeEvent } from './ipc-bridge';
import { menuTemplate } from './menu';
import { installNavigationGuards } from './navigation';
import { installPermissionGuards } from './permissions';
import { MAIN_STRINGS, pickMainLocale } from './strings';
import { createSafeStorageVault } from './token-vault';
import { shouldCheckForUpdates, UPDATE_CHECK_INTERVAL_MS } from './updater';
import { mainWindowOptions } from './window-options';
import { debounce, readWindowState, restoreWindowState, writeWindowState } from './window-state';

// Bundled to dist/electron/main/index.cjs; the preload and the renderer build sit beside it.
const PRELOAD_PATH = join(__dirname, '../preload/index.cjs');
const RENDERER_DIR = join(__dirname, '../../renderer');
const ICON_PATH = join(__dirname, '../assets/icon.png');
const TRAY_ICON_PATH = join(__dirname, '../assets/tray.png');
const BADGE_OVERLAY_PATH = join(__dirname, '../assets/badge.png');
const CSP = rendererCsp({ connectSrc: [] });
const LATE_LINK_RESEND_MS = 1500;

// Main-process logging only: log.initialize() is not called because it would inject
// electron-log's own preload (a second bridge) into every page.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let mainWindow: BrowserWindow | null = null;
let pendingLink: DeepLinkTarget | null = null;

function deliverLink(link: string | null): void {
  const target = link ? parseDeepLink(link) : null;
  if (!target) return;
  if (!mainWindow || !sendBridgeEvent(mainWindow.webContents, 'app.navigate', target)) pendingLink = target;
  focusWindow();
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

// `--user-data-dir=<folder>`: a profile of its own (the Electron end-to-end spec gives each
// run one). Set before the single-instance lock, which is held per profile.
const userDataFlag = process.argv.find((arg) => arg.startsWith('--user-data-dir='));
if (userDataFlag) app.setPath('userData', userDataFlag.slice('--user-data-dir='.length));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    focusWindow();
    deliverLink(deepLinkFromArgv(argv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverLink(url);
  });
  pendingLink = parseDeepLink(deepLinkFromArgv(process.argv) ?? '');
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('startup failed', error);
      const strings = MAIN_STRINGS[pickMainLocale(app.getPreferredSystemLanguages())];
      dialog.showErrorBox(strings.startupFailedTitle, strings.startupFailedBody(String(error)));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const locale = pickMainLocale(app.getPreferredSystemLanguages());
  const strings = MAIN_STRINGS[locale];
  const userData = app.getPath('userData');
  // A development run registers the Electron binary plus this app's folder as the handler.
  const devHandler = process.defaultApp ? { path: process.execPath, args: [process.argv[1] ?? '.'] } : null;
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, devHandler?.path, devHandler?.args);
  // Only ever called with an http(s) URL the navigation guard vetted and the person confirmed,
  // or with the menu's fixed help addresses.
  const openExternal = (url: string) => shell.openExternal(url);

  installPermissionGuards(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, {
      async confirm(url) {
        const options = {
          type: 'question' as const,
          buttons: [strings.openLinkOpen, strings.cancel],
          defaultId: 1,
          cancelId: 1,
          title: strings.openLinkTitle,
          message: strings.openLinkMessage,
          detail: strings.openLinkDetail(url),
        };
        const answer = mainWindow
          ? await dialog.showMessageBox(mainWindow, options)
          : await dialog.showMessageBox(options);
        return answer.response === 0;
      },
      open: openExternal,
    });
  });
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appRequestToFile(RENDERER_DIR, request.url);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(body, {
      headers: {
        'Content-Type': mimeTypeOf(file),
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });

  const vault = createSafeStorageVault({
    safeStorage,
    file: join(userData, 'tokens.json'),
    platform: process.platform,
  });
  if (!vault.mode.persistent) {
    log.warn(`token vault is memory-only (${vault.mode.reason}): sign-ins will not survive a restart`);
    new Notification({ title: strings.noKeyringTitle, body: strings.noKeyringBody }).show();
  }
  // The core and the demo platform each run on a worker thread: this process serves the
  // windows and never waits on SQLite (electron/core/README.md, "Threads").
  const demo = createDemoLauncherInWorker({ dataDir: userData });
  const core = await createCoreInWorker({
    dataDir: userData,
    deviceName: hostname(),
    vault,
    demo,
    shell: 'electron',
    version: app.getVersion(),
  });
  const downloads = recordDownloads({
    session: session.defaultSession,
    showItemInFolder: (path) => shell.showItemInFolder(path),
    report: (payload) => void sendBridgeEvent(mainWindow?.webContents ?? null, 'files.downloaded', payload),
  });
  registerBridgeIpc(ipcMain, downloads.withFileHandlers(core.handlers));
  // A hidden or closed window is nobody looking: presence ends now. The renderer says so
  // too; this covers one that could not (a crash), and macOS keeping the app without windows.
  const away = () => void dispatchCall(core.handlers, 'presence.away', {});
  app.on('browser-window-created', (_event, window) => {
    window.on('hide', away);
    window.on('closed', away);
  });
  // CREATOR_INBOX_DEMO_PREWARM=0 turns the first-run warm-up off (tests of the wiring).
  const stopPrewarm =
    process.env.CREATOR_INBOX_DEMO_PREWARM === '0' ? () => {} : await prewarmDemoOnFirstRun(core, demo);
  core.onEvent((name, payload) => {
    sendBridgeEvent(mainWindow?.webContents ?? null, name, payload);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        strings,
        packaged: app.isPackaged,
        openExternal: (url) => void openExternal(url),
      }),
    ),
  );
  createWindow(userData);

  const trayImage = nativeImage.createFromPath(TRAY_ICON_PATH);
  // A template image is tinted by macOS for light and dark menu bars.
  if (process.platform === 'darwin') trayImage.setTemplateImage(true);
  const tray = new Tray(trayImage);
  tray.setToolTip(strings.trayTooltip(0));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: strings.trayOpen, click: () => (mainWindow ? focusWindow() : createWindow(userData)) },
      { type: 'separator' },
      { label: strings.trayQuit, role: 'quit' },
    ]),
  );
  tray.on('click', () => (mainWindow ? focusWindow() : createWindow(userData)));

  const stopAttention = watchAttention({
    core,
    strings,
    locale,
    show(snapshot) {
      app.setBadgeCount(snapshot.pending);
      if (process.platform === 'darwin') app.dock?.setBadge(badgeLabel(snapshot.pending));
      tray.setToolTip(strings.trayTooltip(snapshot.pending));
      if (process.platform === 'darwin') tray.setTitle(badgeLabel(snapshot.pending));
      // Windows taskbars show no numbers: an overlay dot, with the count for screen readers.
      if (process.platform === 'win32' && mainWindow) {
        const overlay = snapshot.pending > 0 ? nativeImage.createFromPath(BADGE_OVERLAY_PATH) : null;
        mainWindow.setOverlayIcon(overlay, strings.trayTooltip(snapshot.pending));
      }
    },
    notify(notice) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: notice.title, body: notice.body });
      notification.on('click', () => (mainWindow ? focusWindow() : createWindow(userData)));
      notification.show();
    },
    onError: (error) => log.warn('could not read counts for the badge', error),
  });

  if (shouldCheckForUpdates({ packaged: app.isPackaged, env: process.env })) {
    autoUpdater.logger = log;
    const check = () => void autoUpdater.checkForUpdatesAndNotify().catch((error) => log.warn('update check', error));
    check();
    setInterval(check, UPDATE_CHECK_INTERVAL_MS).unref();
  }

  app.on('activate', () => (mainWindow ? focusWindow() : createWindow(userData)));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    stopAttention();
    stopPrewarm();
    tray.destroy();
    void shutDown(core, demo).finally(() => app.quit());
  });
}

async function shutDown(core: Core, demo: DemoLauncher): Promise<void> {
  await core.close().catch((error: unknown) => log.error('core close', error));
  await demo.close().catch((error: unknown) => log.error('demo close', error));
}

function createWindow(userData: string): void {
  const stateFile = join(userData, 'window-state.json');
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const restored = restoreWindowState(readWindowState(stateFile), workAreas);
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath: PRELOAD_PATH,
      bounds: restored.bounds,
      platform: process.platform,
      packaged: app.isPackaged,
      iconPath: ICON_PATH,
    }),
  );
  mainWindow = window;
  if (restored.maximized) window.maximize();

  const saver = debounce(() => {
    if (window.isDestroyed()) return;
    writeWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  }, 500);
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    window.on(event as 'resize', () => saver.schedule());
  }
  window.on('close', () => saver.flush());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => {
    const link = pendingLink;
    if (!link || !sendBridgeEvent(window.webContents, 'app.navigate', link)) return;
    pendingLink = null;
    // The renderer subscribes once React has mounted, which can be after the load event;
    // showing the same target twice is harmless, missing it is not.
    setTimeout(() => sendBridgeEvent(window.webContents, 'app.navigate', link), LATE_LINK_RESEND_MS);
  });
  void window.loadURL(APP_ENTRY_URL);
}
