import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const root = new URL('../../../', import.meta.url);
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8'));

type Target = { target: string; arch: string[] };
const targets = (platform: 'mac' | 'win' | 'linux'): Target[] => config[platform].target;
const archsOf = (platform: 'mac' | 'win' | 'linux', name: string) =>
  targets(platform).find((target) => target.target === name)?.arch ?? [];

describe('electron-builder.yml', () => {
  it('names the app and passes electron-builder’s own schema', async () => {
    expect(config.appId).toBe('app.creatorinbox.desktop');
    expect(config.productName).toBe('Creator Inbox');
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    const loaded = await getConfig(new URL('.', root).pathname, new URL('electron-builder.yml', root).pathname, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds macOS dmg and zip for arm64 and x64, hardened, with entitlements and notarisation from env', () => {
    expect(archsOf('mac', 'dmg').sort()).toEqual(['arm64', 'x64']);
    expect(archsOf('mac', 'zip').sort()).toEqual(['arm64', 'x64']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const plist = readFileSync(new URL(config.mac[key], root), 'utf8');
      expect(plist).toContain('com.apple.security.cs.allow-jit');
      expect(plist).not.toContain('allow-unsigned-executable-memory');
      expect(plist).not.toContain('disable-library-validation');
    }
  });

  it('signs Windows builds as a named publisher, so an update signed by anyone else is refused', () => {
    // electron-updater checks a downloaded update's Authenticode signature against these names.
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    const signing = config.win.signtoolOptions;
    const names = [signing?.publisherName].flat().filter((name) => typeof name === 'string' && name.trim() !== '');
    expect(names).toEqual(['Creator Inbox']);
    expect(signing.signingHashAlgorithms).toEqual(['sha256']);
    expect(signing.rfc3161TimeStampServer).toMatch(/^https?:\/\//);
    // One signing route only: signtool's and Azure's cannot both be configured.
    expect(config.win.azureSignOptions).toBeUndefined();
  });

  it('builds a per-user NSIS installer for Windows x64 and arm64', () => {
    expect(archsOf('win', 'nsis').sort()).toEqual(['arm64', 'x64']);
    expect(config.nsis.perMachine).toBe(false);
    expect(config.nsis.allowElevation).toBe(false);
  });

  it('builds a Linux AppImage and deb', () => {
    expect(
      targets('linux')
        .map((target) => target.target)
        .sort(),
    ).toEqual(['AppImage', 'deb']);
  });

  it('ships better-sqlite3’s Node-API prebuild for every target, unpacked from the asar, and registers creatorinbox://', () => {
    expect(config.asar).toBe(true);
    // No rebuild for Electron: the package's Node-API prebuilds load in any Node or Electron.
    expect(config.npmRebuild).toBe(false);
    const prebuilds = new URL('node_modules/better-sqlite3/prebuilds/', root);
    for (const platform of ['mac', 'win', 'linux'] as const) {
      const os = { mac: 'darwin', win: 'win32', linux: 'linux' }[platform];
      for (const arch of new Set(targets(platform).flatMap((target) => target.arch))) {
        expect(readFileSync(new URL(`${os}-${arch}.node`, prebuilds)).length).toBeGreaterThan(0);
      }
    }
    expect(readFileSync(new URL('node_modules/better-sqlite3/binding.gyp', root), 'utf8')).toContain('NAPI_VERSION');
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.protocols[0].schemes).toEqual(['creatorinbox']);
  });

  it('has icons in build/: a 1024² app icon and a tray icon, as real PNGs', () => {
    const size = (file: string) => {
      const png = readFileSync(new URL(file, root));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(size(config.mac.icon)).toEqual([1024, 1024]);
    expect(size('build/tray.png')).toEqual([32, 32]);
    const png = readFileSync(new URL('build/icon.png', root));
    const idat = png.subarray(png.indexOf('IDAT') + 4, png.indexOf('IEND') - 8);
    expect(inflateSync(idat).length).toBe(1024 * (1024 * 4 + 1));
  });
});

describe('afterPack fuses (fake flipFuses: the Electron binary cannot be downloaded here)', () => {
  const afterPack = require('../../../build/after-pack.cjs');
  const { FuseV1Options } = require('@electron/fuses');

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar integrity and asar-only loading', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [];
    const context = {
      electronPlatformName: 'darwin',
      appOutDir: '/out/mac-arm64',
      packager: { appInfo: { productFilename: 'Creator Inbox' }, executableName: 'creator-inbox' },
    };
    await afterPack(context, async (path: string, fuses: Record<string, unknown>) => {
      calls.push([path, fuses]);
    });
    expect(calls).toHaveLength(1);
    const [path, fuses] = calls[0] ?? ['', {}];
    expect(path).toBe('/out/mac-arm64/Creator Inbox.app');
    expect(fuses).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('finds the executable on Windows and Linux, and sets every fuse the wire has', () => {
    const packager = { appInfo: { productFilename: 'Creator Inbox' }, executableName: 'creator-inbox' };
    expect(afterPack.executablePath({ electronPlatformName: 'win32', appOutDir: '/o', packager })).toBe(
      '/o/Creator Inbox.exe',
    );
    expect(afterPack.executablePath({ electronPlatformName: 'linux', appOutDir: '/o', packager })).toBe(
      '/o/creator-inbox',
    );
    const numericKeys = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    expect(Object.keys(afterPack.FUSES).map(Number).sort()).toEqual([...numericKeys].sort());
  });
});

describe('the fuse list matches the Electron in the lockfile', () => {
  const afterPack = require('../../../build/after-pack.cjs');
  const { FuseV1Options } = require('@electron/fuses');
  const wire = afterPack.ELECTRON_FUSE_WIRE as { electronMajor: number; fuses: string[] };
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));
  const lockedElectron: string = lock.packages['node_modules/electron'].version;

  it('is locked to the Electron major of package-lock.json: an upgrade must decide the new wire first', () => {
    expect(Number(lockedElectron.split('.')[0]), `package-lock.json has Electron ${lockedElectron}`).toBe(
      wire.electronMajor,
    );
  });

  it('decides exactly the fuses of that wire, each at its wire index in the installed @electron/fuses', () => {
    expect(Object.keys(afterPack.FUSE_VALUES)).toEqual(wire.fuses);
    expect(wire.fuses.map((name) => FuseV1Options[name])).toEqual(wire.fuses.map((_, index) => index));
    expect(Object.keys(afterPack.FUSES).map(Number)).toEqual(wire.fuses.map((_, index) => index));
  });

  describe('the real flipFuses on a fake Electron binary (sentinel + fuse wire in filler bytes; the Electron binary cannot be downloaded here)', () => {
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    let dir = '';
    const packager = { appInfo: { productFilename: 'Creator Inbox' }, executableName: 'creator-inbox' };
    /** A file laid out as Electron lays out its fuse wire: sentinel, version 1, length, one byte per fuse. */
    const fakeBinary = (fuses: number) => {
      dir = mkdtempSync(join(tmpdir(), 'fake-electron-'));
      const wireBytes = Buffer.from('1'.repeat(fuses), 'latin1');
      const file = Buffer.concat([
        Buffer.alloc(4096, 0xcc),
        Buffer.from(SENTINEL, 'latin1'),
        Buffer.from([1, fuses]),
        wireBytes,
        Buffer.alloc(4096, 0xcc),
      ]);
      writeFileSync(join(dir, packager.executableName), file);
      return join(dir, packager.executableName);
    };
    const readWire = (file: string) => {
      const bytes = readFileSync(file);
      const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
      return bytes.subarray(at + 2, at + 2 + (bytes[at + 1] ?? 0)).toString('latin1');
    };
    const pack = () => afterPack({ electronPlatformName: 'linux', appOutDir: dir, packager });

    it(`flips every fuse of a ${wire.fuses.length}-fuse wire to the decided value`, async () => {
      const file = fakeBinary(wire.fuses.length);
      try {
        await pack();
        const expected = wire.fuses.map((name) => (afterPack.FUSE_VALUES[name] ? '1' : '0')).join('');
        expect(readWire(file)).toBe(expected);
        // The ones that keep the app from becoming a Node runtime, spelled out.
        expect(readWire(file).slice(0, 4)).toBe('0100');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails the build on a wire with a fuse nobody decided, and on a wire shorter than the locked one', async () => {
      for (const length of [wire.fuses.length + 1, wire.fuses.length - 1]) {
        const file = fakeBinary(length);
        try {
          await expect(pack(), `a ${length}-fuse wire`).rejects.toThrow(/strictlyRequireAllFuses|not long enough/);
          expect(readWire(file)).toBe('1'.repeat(length));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });

  const binary = join(new URL('node_modules/electron/dist', root).pathname, 'electron');
  it.skipIf(!existsSync(binary))(
    `reads the installed Electron binary's own wire (skipped where it was not downloaded: ${binary} is absent)`,
    async () => {
      const { getCurrentFuseWire } = require('@electron/fuses');
      const current = await getCurrentFuseWire(binary);
      const names = Object.keys(current).filter((key) => key !== 'version');
      expect(names.length).toBe(wire.fuses.length);
    },
  );
});
