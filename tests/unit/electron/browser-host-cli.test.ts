import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, defaultDataDir, parseCliArgs } from '../../../electron/browser-host/cli-args';
import { openCommand } from '../../../electron/browser-host/open-browser';

describe('browser host command line', () => {
  it('defaults to a random port, opening the browser, in the per-user data folder', () => {
    const options = parseCliArgs([]);
    expect(options).toMatchObject({ port: 0, open: true });
    expect(options).toHaveProperty('dataDir', defaultDataDir());
  });

  it('reads --no-open, --port and --data-dir in both spellings', () => {
    expect(parseCliArgs(['--no-open', '--port', '4321', '--data-dir', '/tmp/x'])).toEqual({
      open: false,
      port: 4321,
      dataDir: '/tmp/x',
    });
    expect(parseCliArgs(['--port=0', '--data-dir=/tmp/y'])).toMatchObject({ port: 0, dataDir: '/tmp/y' });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it('refuses bad ports, missing values and unknown flags with a usage line', () => {
    for (const argv of [
      ['--port', '70000'],
      ['--port', '-1'],
      ['--port', 'abc'],
      ['--port'],
      ['--data-dir'],
      ['--host', '0.0.0.0'],
    ]) {
      expect(() => parseCliArgs(argv)).toThrow(CliError);
    }
    expect(() => parseCliArgs(['--host=0.0.0.0'])).toThrow(/Usage: npm run browser/);
  });

  it('puts data where each OS keeps per-user app data, apart from the Electron app’s own', () => {
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe(
      '/Users/a/Library/Application Support/Creator Inbox/browser-host',
    );
    expect(defaultDataDir('linux', {}, '/home/a')).toBe('/home/a/.config/Creator Inbox/browser-host');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/a')).toBe('/xdg/Creator Inbox/browser-host');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'Creator Inbox', 'browser-host'),
    );
  });

  it('opens the default browser with each platform’s own command', () => {
    const url = 'http://127.0.0.1:5000/?token=abc&x=1';
    expect(openCommand('darwin', url)).toEqual({ command: 'open', args: [url] });
    expect(openCommand('linux', url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(openCommand('win32', url)).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });
});
