import { limitRefusal } from '../../shared/actions';
import type { InboxRow } from '../../shared/contract';
import { money } from '../../shared/money';
import { refundedIn, useMyLimits } from '../data/limits';
import { permissionsIn } from '../data/permissions';
import { useAccounts } from '../data/queries';
import { amountInText } from '../i18n/format';
import { useLocale, useT } from '../i18n/I18n';
import { useUi } from '../state/ui';

/**
 * Says before I act that the platform will refuse this message's accept or refund: the
 * same rule (shared/actions/limits.ts) the platform applies, with my limits and my refunds
 * of the last 24 hours.
 */
export function LimitWarning({ row }: { row: InboxRow }) {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const permissions = permissionsIn(useAccounts().data ?? [], row.inboxId);
  const mine = useMyLimits(accountId, row.inboxId).data;
  if (!mine?.limits || !(permissions.includes('accept') || permissions.includes('refund'))) return null;
  const price = money(row.price.minor, row.price.currency);
  const used = refundedIn(mine, price.currency);
  const refusal =
    limitRefusal('manager', mine.limits, 'accept', price, used) ??
    limitRefusal('manager', mine.limits, 'refund', price, used);
  if (!refusal) return null;
  const text =
    refusal.limit === 'max_price'
      ? t('limits.overMax', { max: amountInText(refusal.max, locale), price: amountInText(refusal.price, locale) })
      : t('limits.overDaily', { max: amountInText(refusal.max, locale), used: amountInText(refusal.used, locale) });
  return (
    <p className="banner banner-risk" role="note" data-limit-warning={refusal.limit}>
      {text}
    </p>
  );
}
