import './team.css';
import type React from 'react';
import type { Account } from '../../../shared/contract';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { Dialog } from '../../ui/Dialog';
import { AuditDialog } from '../audit/AuditDialog';
import { EarningsScreen } from '../earnings/EarningsScreen';
import { canViewEarnings } from '../earnings/model';
import { InboxSettingsDialog } from '../inbox-settings/InboxSettingsDialog';
import { useInboxOverview, useMyInvitations, useTeamEvents } from './data';
import { InvitationsDialog, TeamDialog } from './TeamDialog';
import { useTeamUi } from './teamUi';

/** The inbox the team screens are about: the one shown, else the only one, else the first I own. */
export function targetInbox(account: Account | null, shown: string | null): Account['inboxes'][number] | null {
  if (!account) return null;
  const inboxes = account.inboxes;
  return (
    inboxes.find((i) => i.inboxId === shown) ??
    (inboxes.length === 1 ? (inboxes[0] ?? null) : null) ??
    inboxes.find((i) => i.role === 'owner') ??
    inboxes[0] ??
    null
  );
}

/** Top-bar buttons for the team screens; what a member may not do is not offered. */
export function TeamMenu({ account }: { account: Account | null }) {
  const t = useT();
  const shown = useUi((s) => s.inboxId);
  const inbox = targetInbox(account, shown);
  const invitations = useMyInvitations(account?.id ?? '');
  const open = useTeamUi((s) => s.open);
  const waiting = invitations.data?.length ?? 0;
  return (
    <>
      {inbox?.role === 'owner' ? (
        <button type="button" onClick={() => open('settings', inbox.inboxId)}>
          {t('team.menu.settings')}
        </button>
      ) : null}
      {inbox ? (
        <button type="button" onClick={() => open('team', inbox.inboxId)}>
          {t('team.menu.team')}
        </button>
      ) : null}
      {inbox && canViewEarnings(inbox) ? (
        <button type="button" onClick={() => open('earnings', inbox.inboxId)}>
          {t('team.menu.earnings')}
        </button>
      ) : null}
      {inbox?.role === 'owner' ? (
        <button type="button" onClick={() => open('audit', inbox.inboxId)}>
          {t('team.menu.audit')}
        </button>
      ) : null}
      {waiting > 0 ? (
        <button type="button" className="primary" onClick={() => open('invitations', null)}>
          {t('team.menu.invitations', { count: waiting })}
        </button>
      ) : null}
    </>
  );
}

/** Keeps team data fresh from the core's events and shows whichever team screen is open. */
export function TeamHost({ account }: { account: Account | null }) {
  const t = useT();
  useTeamEvents();
  const { screen, inboxId } = useTeamUi();
  if (!account || !screen) return null;
  const inbox = account.inboxes.find((i) => i.inboxId === inboxId) ?? null;
  if (screen === 'invitations') return <InvitationsDialog accountId={account.id} />;
  if (!inbox) return null;
  if (screen === 'settings' && inbox.role === 'owner') {
    return <InboxSettingsDialog accountId={account.id} inboxId={inbox.inboxId} />;
  }
  if (screen === 'audit' && inbox.role === 'owner')
    return <AuditDialog accountId={account.id} inboxId={inbox.inboxId} />;
  if (screen === 'earnings' && canViewEarnings(inbox)) {
    return (
      <EarningsDialog title={t('team.menu.earnings')}>
        <EarningsScreen accountId={account.id} inboxId={inbox.inboxId} />
      </EarningsDialog>
    );
  }
  if (screen === 'team') {
    return <TeamDialog accountId={account.id} inboxId={inbox.inboxId} isOwner={inbox.role === 'owner'} />;
  }
  return null;
}

/** Pending count, money held and money at risk of one inbox, for the sidebar. */
export function InboxFigures({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useT();
  const locale = useLocale();
  const figures = useInboxOverview(accountId).data?.find((i) => i.inboxId === inboxId);
  if (!figures) return null;
  return (
    <span className="inbox-figures" data-inbox-figures={inboxId}>
      <span className="count">{t('sidebar.count', { count: figures.pending })}</span>
      {figures.held.length > 0 ? (
        <span className="held">
          <bdi>{t('sidebar.held', { amount: formatMoneyList(figures.held, locale) })}</bdi>
        </span>
      ) : null}
      {figures.atRisk.length > 0 ? (
        <span className="at-risk-amount">
          <bdi>{t('team.atRisk', { amount: formatMoneyList(figures.atRisk, locale) })}</bdi>
        </span>
      ) : null}
    </span>
  );
}

/** Earnings open over the inbox like the other team screens, so Escape returns to triage. */
function EarningsDialog({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Dialog title={title} className="team-dialog wide earnings-dialog" onClose={() => useTeamUi.getState().close()}>
      {children}
    </Dialog>
  );
}
