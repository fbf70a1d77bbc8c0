import type { MenuItemConstructorOptions } from 'electron';
import type { MainStrings } from './strings';

export const HELP_URL = 'https://github.com/creator-inbox/creator-inbox#readme';
export const ISSUES_URL = 'https://github.com/creator-inbox/creator-inbox/issues';

/**
 * The application menu, per platform conventions: macOS gets the app menu (About, Services,
 * Hide, Quit) and a Window menu with "Bring All to Front"; Edit uses the standard roles so
 * copy/paste and undo work in every text field; developer tools only in development.
 */
export function menuTemplate(options: {
  platform: NodeJS.Platform;
  strings: MainStrings;
  packaged: boolean;
  openExternal(url: string): void;
}): MenuItemConstructorOptions[] {
  const { strings, platform } = options;
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: strings.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: strings.menuFile, submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: strings.menuEdit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: strings.menuView,
    submenu: [
      { role: 'reload' },
      ...(options.packaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: strings.menuWindow,
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: strings.menuHelp,
    role: 'help',
    submenu: [
      { label: strings.helpLearnMore, click: () => options.openExternal(HELP_URL) },
      { label: strings.helpReportIssue, click: () => options.openExternal(ISSUES_URL) },
    ],
  });
  return template;
}
