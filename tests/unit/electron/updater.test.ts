import { describe, expect, it } from 'vitest';
import { shouldCheckForUpdates } from '../../../electron/main/updater';

describe('auto-update switch (pure module, no Electron binary)', () => {
  it('checks only in packaged builds', () => {
    expect(shouldCheckForUpdates({ packaged: false, env: {} })).toBe(false);
    expect(shouldCheckForUpdates({ packaged: true, env: {} })).toBe(true);
  });

  it('stays off in CI and when turned off', () => {
    expect(shouldCheckForUpdates({ packaged: true, env: { CI: 'true' } })).toBe(false);
    expect(shouldCheckForUpdates({ packaged: true, env: { CREATOR_INBOX_DISABLE_UPDATES: '1' } })).toBe(false);
  });
});
