import '../features/team/team.css';
import { Lock } from 'lucide-react';
import { lazy, Suspense } from 'react';
import type { Account } from '../../shared/contract';
import { canViewEarnings } from '../data/earnings';
import { targetInbox, useTeamEvents } from '../data/team';
import { AuditDialog } from '../features/audit/AuditDialog';
import { InboxSettingsDialog } from '../features/inbox-settings/InboxSettingsDialog';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { InvitationsDialog, TeamDialog } from '../features/team/TeamDialog';
import { useT } from '../i18n/I18n';
import { useRoute } from '../state/route';
import { useTeamUi } from '../state/teamUi';
import { useUi } from '../state/ui';
import { Screen } from '../ui/Screen';
import { EmptyState, SkeletonRows } from '../ui/States';

/** Keeps team data fresh from the core's events and asks about waiting invitations. */
export function TeamHost({ account }: { account: Account | null }) {
  useTeamEvents();
  const screen = useTeamUi((s) => s.screen);
  if (!account || screen !== 'invitations') return null;
  return <InvitationsDialog accountId={account.id} />;
}

/**
 * The full screen the route names, for the inbox it names (else the one shown). What a
 * member may not see says so, with the way back, instead of showing nothing.
 */
export function ScreenHost({ account }: { account: Account | null }) {
  const t = useT();
  const route = useRoute();
  const shown = useUi((s) => s.inboxId);
  if (!account || route.screen === 'inbox') return null;
  if (route.screen === 'settings') return <SettingsDialog />;
  const inbox =
    (route.inboxId ? account.inboxes.find((i) => i.inboxId === route.inboxId) : targetInbox(account, shown)) ?? null;
  const allowed =
    inbox !== null &&
    (route.screen === 'team' ||
      (route.screen === 'earnings' && canViewEarnings(inbox)) ||
      ((route.screen === 'audit' || route.screen === 'inboxSettings') && inbox.role === 'owner'));
  if (!inbox || !allowed) {
    return (
      <Screen title={t('screen.unavailableTitle')}>
        <EmptyState icon={<Lock size={28} />} title={t('screen.unavailable')} />
      </Screen>
    );
  }
  if (route.screen === 'inboxSettings') return <InboxSettingsDialog accountId={account.id} inboxId={inbox.inboxId} />;
  if (route.screen === 'audit') return <AuditDialog accountId={account.id} inboxId={inbox.inboxId} />;
  if (route.screen === 'earnings') {
    return (
      <Screen title={t('team.menu.earnings')} className="earnings-screen">
        <Suspense fallback={<SkeletonRows count={6} />}>
          <EarningsScreen accountId={account.id} inboxId={inbox.inboxId} />
        </Suspense>
      </Screen>
    );
  }
  return <TeamDialog accountId={account.id} inboxId={inbox.inboxId} isOwner={inbox.role === 'owner'} />;
}

// The earnings screen (and the charting library under it) loads on first visit, so the
// inbox's first paint never waits for it.
const EarningsScreen = lazy(() =>
  import('../features/earnings/EarningsScreen').then((m) => ({ default: m.EarningsScreen })),
);
