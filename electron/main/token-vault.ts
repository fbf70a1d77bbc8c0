import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { TokenVault } from '../core';

/** The slice of Electron's safeStorage the vault uses — a fake in the unit tests. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export type VaultMode = { persistent: true } | { persistent: false; reason: 'encryption_unavailable' | 'no_keyring' };

/**
 * Whether tokens may be written to disk at all. On Linux without a keyring Electron falls
 * back to "basic_text", a fixed key anyone can read — that is plain text in disguise, so
 * those tokens stay in memory and the person signs in again next launch.
 */
export function vaultMode(safeStorage: SafeStorageLike, platform: NodeJS.Platform): VaultMode {
  if (!safeStorage.isEncryptionAvailable()) return { persistent: false, reason: 'encryption_unavailable' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return { persistent: false, reason: 'no_keyring' };
  }
  return { persistent: true };
}

const VaultFileSchema = z.object({ version: z.literal(1), tokens: z.record(z.string(), z.string()) });
type VaultFile = z.infer<typeof VaultFileSchema>;

export class PlainTextRefused extends Error {
  constructor() {
    super('safeStorage returned the token unencrypted; refusing to write it to disk.');
    this.name = 'PlainTextRefused';
  }
}

/**
 * Account tokens, encrypted with the OS keychain through safeStorage, in one JSON file of
 * base64 ciphertexts. Nothing is written unless it is encrypted; when encryption is not
 * trustworthy the vault keeps tokens in memory only and says so (`persistent: false`).
 */
export function createSafeStorageVault(options: {
  safeStorage: SafeStorageLike;
  file: string;
  platform: NodeJS.Platform;
}): TokenVault & { readonly mode: VaultMode } {
  const { safeStorage, file } = options;
  const mode = vaultMode(safeStorage, options.platform);
  const memory = new Map<string, string>();

  const readFile = (): VaultFile => {
    if (!existsSync(file)) return { version: 1, tokens: {} };
    try {
      const parsed = VaultFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : { version: 1, tokens: {} };
    } catch {
      return { version: 1, tokens: {} };
    }
  };
  const writeFile = (contents: VaultFile) => {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, JSON.stringify(contents), { mode: 0o600 });
    renameSync(temporary, file);
  };
  const encrypt = (token: string): string => {
    const encrypted = safeStorage.encryptString(token);
    if (token.length > 0 && encrypted.includes(Buffer.from(token))) throw new PlainTextRefused();
    return encrypted.toString('base64');
  };

  return {
    mode,
    persistent: mode.persistent,
    async get(accountId) {
      const cached = memory.get(accountId);
      if (cached !== undefined || !mode.persistent) return cached ?? null;
      const stored = readFile().tokens[accountId];
      if (stored === undefined) return null;
      try {
        const token = safeStorage.decryptString(Buffer.from(stored, 'base64'));
        memory.set(accountId, token);
        return token;
      } catch {
        // Encrypted by another OS user or keychain: unusable, so the account signs in again.
        return null;
      }
    },
    async set(accountId, token) {
      if (mode.persistent) {
        const contents = readFile();
        contents.tokens[accountId] = encrypt(token);
        writeFile(contents);
      }
      memory.set(accountId, token);
    },
    async delete(accountId) {
      memory.delete(accountId);
      if (!mode.persistent || !existsSync(file)) return;
      const contents = readFile();
      delete contents.tokens[accountId];
      if (Object.keys(contents.tokens).length === 0) rmSync(file, { force: true });
      else writeFile(contents);
    },
  };
}
