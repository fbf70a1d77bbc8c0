import type { Account } from '../../shared/contract';
import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { UntrustedInline } from '../ui/SafeText';

/** Which account the screen shows (managers switch between several). */
export function AccountBadge({ accounts }: { accounts: Account[] }) {
  const t = useT();
  const accountId = useUi((s) => s.accountId);
  const account = accounts.find((a) => a.id === accountId);
  if (!account) return null;
  return (
    <span className="account-badge" title={account.email}>
      <span className="visually-hidden">{t('app.signedInAs')} </span>
      <UntrustedInline text={account.displayName} />
    </span>
  );
}
