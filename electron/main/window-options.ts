import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowBounds } from './window-state';

export interface MainWindowInputs {
  preloadPath: string;
  bounds: WindowBounds;
  platform: NodeJS.Platform;
  iconPath?: string;
  /** Packaged builds have no developer tools. */
  packaged: boolean;
  backgroundColor?: string;
}

/**
 * The one window. Every security-relevant preference is spelled out, not left to a default
 * that a future Electron could change: isolated, sandboxed, no Node, no webview, no remote
 * content mixed in, and no spell-check dictionary download.
 */
export function mainWindowOptions(inputs: MainWindowInputs): BrowserWindowConstructorOptions {
  return {
    ...inputs.bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Creator Inbox',
    backgroundColor: inputs.backgroundColor ?? '#ffffff',
    ...(inputs.iconPath && inputs.platform === 'linux' ? { icon: inputs.iconPath } : {}),
    ...(inputs.platform === 'darwin' ? { titleBarStyle: 'default' as const } : {}),
    webPreferences: {
      preload: inputs.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      // Middle-click would otherwise try to open links in a new window (denied anyway).
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !inputs.packaged,
    },
  };
}
