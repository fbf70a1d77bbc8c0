import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../server/data-dir';

describe('default data folder', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.local/share/creator-inbox/platform');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/ana')).toBe('/data/creator-inbox/platform');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/creator-inbox/platform',
    );
    expect(defaultDataDir('win32', { APPDATA: 'C:/Users/ana/AppData/Roaming' }, 'C:/Users/ana')).toContain(
      'creator-inbox',
    );
  });
});
