import { ChevronDown, Command as CommandIcon, Keyboard, Plus, Settings } from 'lucide-react';
import type { Account } from '../../shared/contract';
import { useT } from '../i18n/I18n';
import type { Command } from '../state/keymap';
import { useUi } from '../state/ui';
import { Avatar } from '../ui/Avatar';
import { Menu, type MenuEntry } from '../ui/Menu';
import { UntrustedInline, untrustedPlain } from '../ui/SafeText';

/**
 * The account menu, the top bar's only button: who is signed in, switching accounts, and
 * the way to the command palette, the shortcut sheet and settings (each with its key).
 */
export function AccountBadge({ accounts, run }: { accounts: Account[]; run: (command: Command) => void }) {
  const t = useT();
  const accountId = useUi((s) => s.accountId);
  const account = accounts.find((a) => a.id === accountId);
  if (!account) return null;
  const entries: (MenuEntry | 'separator')[] = [
    ...accounts
      .filter((a) => a.id !== account.id)
      .map((a) => ({
        id: `account-${a.id}`,
        label: a.displayName,
        icon: <Avatar name={a.displayName} id={a.id} size="xs" />,
        onSelect: () =>
          useUi.getState().set({
            accountId: a.id,
            inboxId: null,
            focusedId: null,
            selection: { ids: new Set(), anchor: null },
          }),
      })),
    {
      id: 'add-account',
      label: t('sidebar.addAccount'),
      icon: <Plus size={16} />,
      onSelect: () => useUi.getState().set({ dialog: { kind: 'connect' } }),
    },
    'separator',
    {
      id: 'palette',
      label: t('app.commands'),
      icon: <CommandIcon size={16} />,
      command: 'palette',
      onSelect: () => run('palette'),
    },
    {
      id: 'shortcuts',
      label: t('app.shortcuts'),
      icon: <Keyboard size={16} />,
      command: 'shortcuts',
      onSelect: () => run('shortcuts'),
    },
    {
      id: 'settings',
      label: t('app.settings'),
      icon: <Settings size={16} />,
      command: 'settings',
      onSelect: () => run('settings'),
    },
  ];
  return (
    <Menu
      label={t('app.accountMenu')}
      entries={entries}
      header={
        <div className="menu-account">
          <Avatar name={account.displayName} id={account.id} size="md" />
          <span className="menu-account-text">
            <UntrustedInline text={account.displayName} className="menu-account-name" />
            <span className="muted small">
              <bdi>{account.email}</bdi>
            </span>
          </span>
        </div>
      }
      trigger={
        <button
          type="button"
          className="account-badge"
          aria-label={t('app.accountMenuFor', { name: untrustedPlain(account.displayName) })}
        >
          <Avatar name={account.displayName} id={account.id} size="sm" />
          <UntrustedInline text={account.displayName} className="account-name" />
          <ChevronDown size={14} aria-hidden="true" className="muted" />
        </button>
      }
    />
  );
}
