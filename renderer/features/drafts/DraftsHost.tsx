import { Lock } from 'lucide-react';
import { maySeeDrafts } from '../../../shared/actions';
import type { Account } from '../../../shared/contract';
import { useT } from '../../i18n/I18n';
import { useRoute } from '../../state/route';
import { useUi } from '../../state/ui';
import { Screen } from '../../ui/Screen';
import { EmptyState } from '../../ui/States';
import { DraftsScreen } from './DraftsScreen';

/** The Drafts screen for the inbox the route names (else the one shown): for who may draft or approve. */
export function DraftsHost({ account }: { account: Account | null }) {
  const t = useT();
  const routeInbox = useRoute((s) => s.inboxId);
  const shown = useUi((s) => s.inboxId);
  const inboxId = routeInbox ?? shown;
  const inbox =
    account?.inboxes.find((i) => i.inboxId === inboxId) ?? account?.inboxes.find((i) => maySeeDrafts(i)) ?? null;
  if (!account || !inbox || !maySeeDrafts(inbox)) {
    return (
      <Screen title={t('screen.unavailableTitle')}>
        <EmptyState icon={<Lock size={28} />} title={t('screen.unavailable')} />
      </Screen>
    );
  }
  return <DraftsScreen accountId={account.id} inboxId={inbox.inboxId} />;
}
