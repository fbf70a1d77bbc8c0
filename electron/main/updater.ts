/**
 * Updates are checked only in a packaged build (a development run has no feed and no
 * signature to verify against), and never when the person or CI turned them off.
 */
export function shouldCheckForUpdates(facts: { packaged: boolean; env: Record<string, string | undefined> }): boolean {
  if (!facts.packaged) return false;
  return facts.env.CREATOR_INBOX_DISABLE_UPDATES !== '1' && facts.env.CI !== 'true';
}

/** How often a running app looks for a new version. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;
