import { FilePenLine, Mail, ScrollText, Settings, SlidersHorizontal, TrendingUp, Users } from 'lucide-react';
import { maySeeDrafts } from '../../../shared/actions';
import type { Account } from '../../../shared/contract';
import { canViewEarnings } from '../../data/earnings';
import { targetInbox, useMyInvitations } from '../../data/team';
import { useT } from '../../i18n/I18n';
import { useRoute } from '../../state/route';
import { useTeamUi } from '../../state/teamUi';
import { useUi } from '../../state/ui';

/** The rail's way to the screens beside triage; what a member may not see is not offered. */
export function ScreenLinks({ account }: { account: Account | null }) {
  const t = useT();
  const shown = useUi((s) => s.inboxId);
  const inbox = targetInbox(account, shown);
  const invitations = useMyInvitations(account?.id ?? '');
  const open = useTeamUi((s) => s.open);
  const current = useRoute((s) => s.screen);
  const waiting = invitations.data?.length ?? 0;
  const links = [
    inbox && canViewEarnings(inbox)
      ? { id: 'earnings', icon: TrendingUp, label: t('team.menu.earnings'), go: () => open('earnings', inbox.inboxId) }
      : null,
    inbox && maySeeDrafts(inbox)
      ? {
          id: 'drafts',
          icon: FilePenLine,
          label: t('drafts.title'),
          go: () => useRoute.getState().go({ screen: 'drafts', inboxId: inbox.inboxId }),
        }
      : null,
    inbox ? { id: 'team', icon: Users, label: t('team.menu.team'), go: () => open('team', inbox.inboxId) } : null,
    inbox?.role === 'owner'
      ? { id: 'audit', icon: ScrollText, label: t('team.menu.audit'), go: () => open('audit', inbox.inboxId) }
      : null,
    inbox?.role === 'owner'
      ? {
          id: 'inboxSettings',
          icon: SlidersHorizontal,
          label: t('team.menu.settings'),
          go: () => open('settings', inbox.inboxId),
        }
      : null,
  ].filter((l) => l !== null);
  return (
    <section className="rail-section rail-screens" aria-label={t('sidebar.screens')}>
      <ul className="sidebar-list">
        {links.map((l) => (
          <li key={l.id}>
            <button
              type="button"
              className="sidebar-item"
              aria-current={current === l.id ? 'page' : undefined}
              onClick={l.go}
              data-screen={l.id}
            >
              <l.icon className="rail-icon" size={16} aria-hidden="true" />
              <span className="rail-label">{l.label}</span>
            </button>
          </li>
        ))}
        {waiting > 0 ? (
          <li>
            <button type="button" className="sidebar-item is-attention" onClick={() => open('invitations', null)}>
              <Mail className="rail-icon" size={16} aria-hidden="true" />
              <span className="rail-label">{t('team.menu.invitations', { count: waiting })}</span>
            </button>
          </li>
        ) : null}
        <li>
          <button
            type="button"
            className="sidebar-item"
            aria-current={current === 'settings' ? 'page' : undefined}
            onClick={() => useRoute.getState().go({ screen: 'settings', inboxId: null })}
            data-screen="settings"
          >
            <Settings className="rail-icon" size={16} aria-hidden="true" />
            <span className="rail-label">{t('app.settings')}</span>
          </button>
        </li>
      </ul>
    </section>
  );
}
