import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../electron/main/menu';
import { MAIN_STRINGS } from '../../../electron/main/strings';

const roles = (item: MenuItemConstructorOptions | undefined) =>
  (item?.submenu as MenuItemConstructorOptions[] | undefined)?.map((entry) => entry.role).filter(Boolean) ?? [];

describe('application menu (pure template, no Electron binary)', () => {
  const build = (platform: NodeJS.Platform, packaged = true) =>
    menuTemplate({ platform, strings: MAIN_STRINGS.en, packaged, openExternal: () => {} });

  it('gives macOS its app menu, standard Edit roles, a Window menu and Help', () => {
    const menu = build('darwin');
    expect(menu.map((item) => item.label)).toEqual(['Creator Inbox', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(menu[0])).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(menu[2])).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'pasteAndMatchStyle',
      'delete',
      'selectAll',
    ]);
    expect(roles(menu[4])).toContain('front');
    expect(menu[5]?.role).toBe('help');
  });

  it('gives Windows and Linux no app menu and Quit under File', () => {
    const menu = build('win32');
    expect(menu.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(menu[0])).toEqual(['quit']);
  });

  it('has developer tools only in development, and localised top-level labels', () => {
    expect(roles(build('linux', true)[2])).not.toContain('toggleDevTools');
    expect(roles(build('linux', false)[2])).toContain('toggleDevTools');
    const arabic = menuTemplate({
      platform: 'linux',
      strings: MAIN_STRINGS.ar,
      packaged: true,
      openExternal: () => {},
    });
    expect(arabic[1]?.label).toBe('تحرير');
  });

  it('opens help pages in the system browser', () => {
    const opened: string[] = [];
    const menu = menuTemplate({
      platform: 'linux',
      strings: MAIN_STRINGS.en,
      packaged: true,
      openExternal: (u) => opened.push(u),
    });
    const help = menu.at(-1)?.submenu as MenuItemConstructorOptions[];
    for (const item of help) item.click?.({} as never, undefined, {} as never);
    expect(opened.every((url) => url.startsWith('https://'))).toBe(true);
    expect(opened).toHaveLength(2);
  });
});
