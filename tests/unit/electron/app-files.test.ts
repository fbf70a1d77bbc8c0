import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appRequestToFile, mimeTypeOf } from '../../../electron/main/app-files';
import { isAppUrl, originOf } from '../../../electron/main/app-origin';

const root = mkdtempSync(join(tmpdir(), 'app-files-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// scheme file mapping (pure module, no Electron binary)', () => {
  it('serves files of the renderer build under the app origin', () => {
    expect(appRequestToFile(root, 'app://creator-inbox/')).toBe(join(root, 'index.html'));
    expect(appRequestToFile(root, 'app://creator-inbox/index.html?x=1#y')).toBe(join(root, 'index.html'));
    expect(appRequestToFile(root, 'app://creator-inbox/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'));
    expect(mimeTypeOf('a/b.js')).toBe('text/javascript; charset=utf-8');
  });

  it('never maps a request outside the build folder, however the path is dressed up', () => {
    for (const url of [
      'app://creator-inbox/../../etc/passwd',
      'app://creator-inbox/%2e%2e/%2e%2e/etc/passwd',
      'app://creator-inbox/assets/..%2F..%2F..%2Fetc%2Fpasswd',
      'app://creator-inbox/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2f',
    ]) {
      const file = appRequestToFile(root, url);
      expect(file === null || file.startsWith(`${root}/`)).toBe(true);
    }
  });

  it('refuses other hosts, other schemes, NUL bytes, backslashes and broken escapes', () => {
    for (const url of [
      'app://other/index.html',
      'file:///etc/passwd',
      'app://creator-inbox/a%00.html',
      'app://creator-inbox/..%5C..%5Cwindows',
      'app://creator-inbox/%E0%A4%A',
    ]) {
      expect(appRequestToFile(root, url)).toBeNull();
    }
  });

  it('computes the custom scheme origin the way Chromium does', () => {
    expect(originOf('app://creator-inbox/x/y?z')).toBe('app://creator-inbox');
    expect(originOf('https://a.example:8443/x')).toBe('https://a.example:8443');
    expect(originOf('nonsense')).toBeNull();
    expect(isAppUrl('app://creator-inbox.evil.example/')).toBe(false);
  });
});
