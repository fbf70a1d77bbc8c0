/** Where session tokens live. The Electron shell backs this with safeStorage. */
export interface TokenVault {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, token: string): Promise<void>;
  delete(accountId: string): Promise<void>;
  /** false when tokens cannot be kept safely on disk (e.g. Linux without a keyring): then they live in memory only. */
  readonly persistent: boolean;
}

/** Tokens in memory only: for tests, the browser host, and machines without a keyring. */
export function createMemoryVault(): TokenVault {
  const tokens = new Map<string, string>();
  return {
    persistent: false,
    async get(accountId) {
      return tokens.get(accountId) ?? null;
    },
    async set(accountId, token) {
      tokens.set(accountId, token);
    },
    async delete(accountId) {
      tokens.delete(accountId);
    },
  };
}
