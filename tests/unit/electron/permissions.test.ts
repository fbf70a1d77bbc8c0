import { describe, expect, it } from 'vitest';
import { decidePermission, type GuardedSession, installPermissionGuards } from '../../../electron/main/permissions';

describe('permission guard (fake Session, no Electron binary)', () => {
  it('grants notifications to the app page and nothing else to anyone', () => {
    expect(decidePermission('notifications', 'app://creator-inbox/index.html')).toBe(true);
    expect(decidePermission('notifications', 'https://evil.example/')).toBe(false);
    expect(decidePermission('notifications', undefined)).toBe(false);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      expect(decidePermission(permission, 'app://creator-inbox/index.html')).toBe(false);
    }
  });

  it('installs both the request and the check handler', () => {
    const installed: {
      request?: Parameters<GuardedSession['setPermissionRequestHandler']>[0];
      check?: Parameters<GuardedSession['setPermissionCheckHandler']>[0];
    } = {};
    installPermissionGuards({
      setPermissionRequestHandler: (handler) => {
        installed.request = handler;
      },
      setPermissionCheckHandler: (handler) => {
        installed.check = handler;
      },
    });
    const { request, check } = installed;
    const answers: boolean[] = [];
    request?.(null, 'media', (granted) => answers.push(granted), { requestingUrl: 'app://creator-inbox/' });
    request?.(null, 'notifications', (granted) => answers.push(granted), { requestingUrl: 'app://creator-inbox/' });
    expect(answers).toEqual([false, true]);
    expect(check?.(null, 'notifications', 'app://creator-inbox', {})).toBe(true);
    expect(check?.(null, 'geolocation', 'app://creator-inbox', {})).toBe(false);
  });
});
