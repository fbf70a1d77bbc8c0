import { useQueryClient } from '@tanstack/react-query';
import type { FanAction } from '../../shared/actions';
import type { Account, InboxRow } from '../../shared/contract';
import { getBridge } from '../bridge';
import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { flash } from '../ui/flash';
import { untrustedPlain } from '../ui/SafeText';
import { platformNow } from './clock';
import { keys } from './keys';
import { membershipFor, refusalOnRow } from './optimistic';
import { errorText } from './useTriage';

/**
 * Blocking and unblocking the fan of a message (issue 12, item 5): the registry's verdict
 * first (the same one the core and the platform reach), then queued through the outbox, so
 * it works offline; what happened, or why not, is shown at once.
 */
export function useFanActions() {
  const t = useT();
  const queryClient = useQueryClient();
  return async (row: InboxRow, action: FanAction): Promise<boolean> => {
    const accountId = useUi.getState().accountId;
    if (!accountId) return false;
    const fan = untrustedPlain(row.fanName);
    const accounts = queryClient.getQueryData<Account[]>(keys.accounts()) ?? [];
    const refusal = refusalOnRow(row, action, membershipFor(accounts, row.inboxId), platformNow());
    if (refusal) {
      flash(t('errors.actionFailed', { reason: t(`refusal.${refusal.code}`, refusal) }), 'refused');
      return false;
    }
    try {
      await getBridge().call('fans.submit', { accountId, inboxId: row.inboxId, action });
    } catch (error) {
      flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused');
      return false;
    }
    flash(t(action.kind === 'block' ? 'block.done' : 'block.undone', { fan }), 'done');
    void queryClient.invalidateQueries({ queryKey: ['thread', accountId] });
    return true;
  };
}
