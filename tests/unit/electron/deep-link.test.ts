import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../../electron/main/deep-link';

describe('creatorinbox:// deep links (pure module, no Electron binary)', () => {
  it('opens a message, optionally in a given account', () => {
    expect(parseDeepLink('creatorinbox://message/msg_123')).toEqual({
      kind: 'message',
      messageId: 'msg_123',
      accountId: null,
    });
    expect(parseDeepLink('creatorinbox://message/msg%20x?account=acct-9')).toEqual({
      kind: 'message',
      messageId: 'msg x',
      accountId: 'acct-9',
    });
  });

  it('opens an inbox view', () => {
    expect(parseDeepLink('creatorinbox://inbox/pending')).toEqual({ kind: 'view', view: 'pending' });
  });

  it('ignores everything else', () => {
    for (const link of [
      'creatorinbox://inbox/drop-tables',
      'creatorinbox://message/',
      'creatorinbox://message/a/b',
      'creatorinbox://settings/x',
      'creatorinbox://message/%E0%A4%A',
      `creatorinbox://message/${'x'.repeat(100)}`,
      'https://message/abc',
      'not a url',
      `creatorinbox://message/${'a'.repeat(3000)}`,
    ]) {
      expect(parseDeepLink(link)).toBeNull();
    }
  });

  it('finds the link among a second launch’s arguments', () => {
    expect(deepLinkFromArgv(['/app/Creator Inbox', '--flag', 'creatorinbox://inbox/accepted'])).toBe(
      'creatorinbox://inbox/accepted',
    );
    expect(deepLinkFromArgv(['/app/Creator Inbox'])).toBeNull();
  });
});
