import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSafeStorageVault, type SafeStorageLike, vaultMode } from '../../../electron/main/token-vault';

/**
 * A stand-in for Electron's safeStorage (the OS keychain cannot be reached without the
 * Electron binary): a reversible byte scramble, so the test can see ciphertext on disk.
 */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike & { encrypted: number } {
  const scramble = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5a)).reverse();
  const fake = {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string) {
      fake.encrypted++;
      return Buffer.concat([Buffer.from('v10'), scramble(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted: Buffer) {
      if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('bad ciphertext');
      return scramble(Buffer.from(encrypted.subarray(3))).toString('utf8');
    },
  };
  return fake;
}

const TOKEN = 'tok_live_7f3a9c2e-secret-value';
let dir = '';
const vaultFile = () => join(dir, 'tokens.json');
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const freshDir = () => {
  dir = mkdtempSync(join(tmpdir(), 'vault-'));
};

describe('token vault over safeStorage (fake safeStorage, real files, no Electron binary)', () => {
  it('writes only ciphertext and reads it back in a new session', async () => {
    freshDir();
    const safeStorage = fakeSafeStorage();
    const vault = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'darwin' });
    expect(vault.persistent).toBe(true);
    await vault.set('acct-1', TOKEN);
    const onDisk = readFileSync(vaultFile(), 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(safeStorage.encrypted).toBe(1);

    const reopened = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'darwin' });
    await expect(reopened.get('acct-1')).resolves.toBe(TOKEN);
    await expect(reopened.get('acct-2')).resolves.toBeNull();
  });

  it('refuses to write a token that safeStorage handed back unencrypted', async () => {
    freshDir();
    const leaky: SafeStorageLike = { ...fakeSafeStorage(), encryptString: (plain) => Buffer.from(`v10${plain}`) };
    const vault = createSafeStorageVault({ safeStorage: leaky, file: vaultFile(), platform: 'win32' });
    await expect(vault.set('acct-1', TOKEN)).rejects.toThrow(/unencrypted/);
    expect(existsSync(vaultFile())).toBe(false);
    await expect(vault.get('acct-1')).resolves.toBeNull();
  });

  it('keeps tokens in memory only on Linux without a keyring (basic_text), and says so', async () => {
    freshDir();
    const safeStorage = fakeSafeStorage('basic_text');
    const vault = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'linux' });
    expect(vault.persistent).toBe(false);
    expect(vault.mode).toEqual({ persistent: false, reason: 'no_keyring' });
    await vault.set('acct-1', TOKEN);
    await expect(vault.get('acct-1')).resolves.toBe(TOKEN);
    expect(existsSync(vaultFile())).toBe(false);
    expect(safeStorage.encrypted).toBe(0);
    const nextLaunch = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'linux' });
    await expect(nextLaunch.get('acct-1')).resolves.toBeNull();
  });

  it('does not persist when encryption is unavailable on any platform', () => {
    expect(vaultMode(fakeSafeStorage('gnome_libsecret', false), 'darwin')).toEqual({
      persistent: false,
      reason: 'encryption_unavailable',
    });
    expect(vaultMode(fakeSafeStorage('kwallet5'), 'linux')).toEqual({ persistent: true });
    expect(vaultMode(fakeSafeStorage('unknown'), 'linux')).toEqual({ persistent: false, reason: 'no_keyring' });
  });

  it('deletes one account without touching another, and removes the file with the last one', async () => {
    freshDir();
    const safeStorage = fakeSafeStorage();
    const vault = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'darwin' });
    await vault.set('acct-1', TOKEN);
    await vault.set('acct-2', `${TOKEN}-2`);
    await vault.delete('acct-1');
    const reopened = createSafeStorageVault({ safeStorage, file: vaultFile(), platform: 'darwin' });
    await expect(reopened.get('acct-1')).resolves.toBeNull();
    await expect(reopened.get('acct-2')).resolves.toBe(`${TOKEN}-2`);
    await reopened.delete('acct-2');
    expect(existsSync(vaultFile())).toBe(false);
  });

  it('treats a token it cannot decrypt (another keychain) as signed out', async () => {
    freshDir();
    const vault = createSafeStorageVault({ safeStorage: fakeSafeStorage(), file: vaultFile(), platform: 'darwin' });
    await vault.set('acct-1', TOKEN);
    const otherKeychain: SafeStorageLike = {
      ...fakeSafeStorage(),
      decryptString: () => {
        throw new Error('wrong key');
      },
    };
    const elsewhere = createSafeStorageVault({ safeStorage: otherKeychain, file: vaultFile(), platform: 'darwin' });
    await expect(elsewhere.get('acct-1')).resolves.toBeNull();
  });
});
