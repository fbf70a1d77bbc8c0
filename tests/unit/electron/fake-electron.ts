import { EventEmitter } from 'node:events';

/**
 * A stand-in for the `electron` module, for running the bundled main process under plain
 * Node (the Electron binary cannot be downloaded here). It records what the shell asks of
 * Electron and lets the test play the OS and the renderer: fire app events, call IPC
 * handlers, request app:// URLs.
 */
export function createFakeElectron(userData: string) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    name: 'Creator Inbox',
    singleInstanceRequested: false,
    badgeCounts: [] as number[],
    protocolClients: [] as unknown[][],
    quitCalls: 0,
    readyResolve: (() => {}) as () => void,
    ready: null as Promise<void> | null,
    requestSingleInstanceLock() {
      app.singleInstanceRequested = true;
      return true;
    },
    whenReady() {
      app.ready ??= new Promise<void>((resolve) => {
        app.readyResolve = resolve;
      });
      return app.ready;
    },
    isReady: () => false,
    getName: () => 'Creator Inbox',
    getVersion: () => '9.9.9-test',
    getPath: (_name: string) => userData,
    getPreferredSystemLanguages: () => ['en-US'],
    setAsDefaultProtocolClient: (...args: unknown[]) => app.protocolClients.push(args),
    setBadgeCount: (count: number) => app.badgeCounts.push(count),
    quit: () => {
      app.quitCalls++;
    },
    exit: (code: number) => {
      throw new Error(`app.exit(${code})`);
    },
  });

  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcMain = Object.assign(new EventEmitter(), {
    handle: (channel: string, handler: (...args: unknown[]) => unknown) => ipcHandlers.set(channel, handler),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  });

  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, (request: { url: string }) => Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
    handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
      protocolHandlers.set(scheme, handler),
  };

  const permission = {
    request: null as null | ((...args: unknown[]) => void),
    check: null as null | ((...args: unknown[]) => boolean),
  };
  const session = {
    // An emitter so the shell can listen for 'will-download'; the test plays the download.
    defaultSession: Object.assign(new EventEmitter(), {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => {
        permission.request = handler;
      },
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => {
        permission.check = handler;
      },
    }),
  };

  class FakeWebContents extends EventEmitter {
    url = '';
    sent: unknown[][] = [];
    windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
    isDestroyed = () => false;
    getURL = () => this.url;
    send = (...args: unknown[]) => this.sent.push(args);
    setWindowOpenHandler = (handler: (details: { url: string }) => unknown) => {
      this.windowOpenHandler = handler;
    };
  }

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    bounds = { x: 40, y: 50, width: 1000, height: 700 };
    shown = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.url = url;
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    isMaximized = () => false;
    getNormalBounds = () => this.bounds;
    maximize() {}
    restore() {}
    show() {
      this.shown = true;
    }
    focus() {}
    static getAllWindows = () => windows;
  }

  const menus: unknown[] = [];
  const notifications: Array<{ title: string; body: string }> = [];
  class FakeNotification extends EventEmitter {
    constructor(readonly options: { title: string; body: string }) {
      super();
    }
    static isSupported = () => true;
    show() {
      notifications.push(this.options);
    }
  }
  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    tooltips: string[] = [];
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
    setToolTip = (text: string) => this.tooltips.push(text);
    setContextMenu() {}
    setTitle() {}
    destroy() {}
  }

  /** A stand-in DownloadItem: the test decides where the person saved it and how it ended. */
  const createFakeDownload = (fileName: string, savePath: string) =>
    Object.assign(new EventEmitter(), { getFilename: () => fileName, getSavePath: () => savePath });

  const electron = {
    app,
    ipcMain,
    protocol,
    session,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    nativeImage: { createFromPath: (path: string) => ({ path, setTemplateImage() {} }) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
      decryptString: (encrypted: Buffer) => Buffer.from(encrypted).reverse().toString('utf8'),
    },
    shell: {
      openExternal: async (_url: string) => {},
      shownInFolder: [] as string[],
      showItemInFolder(path: string) {
        electron.shell.shownInFolder.push(path);
      },
    },
    dialog: { showMessageBox: async () => ({ response: 1 }), showErrorBox() {} },
    webContents: { getAllWebContents: () => windows.map((w) => w.webContents) },
  };

  return {
    electron,
    windows,
    createFakeDownload,
    ipcHandlers,
    protocolHandlers,
    privileged,
    permission,
    menus,
    notifications,
    trays,
  };
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;
