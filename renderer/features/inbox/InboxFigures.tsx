import { seesMoney } from '../../data/permissions';
import { useAccounts } from '../../data/queries';
import { useInboxOverview } from '../../data/team';
import { formatMoneyList, isolate } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';

/** Pending count, money held and money at risk of one inbox, for the sidebar. */
export function InboxFigures({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useT();
  const locale = useLocale();
  const figures = useInboxOverview(accountId).data?.find((i) => i.inboxId === inboxId);
  // Held and at-risk money are earnings: only for who may view them in this inbox.
  const money = seesMoney(useAccounts().data ?? [], inboxId, accountId);
  if (!figures) return null;
  return (
    <span className="inbox-figures" data-inbox-figures={inboxId}>
      <span className="count">{t('sidebar.count', { count: figures.pending })}</span>
      {money && figures.held.length > 0 ? (
        <span className="held">
          <bdi>{t('sidebar.held', { amount: isolate(formatMoneyList(figures.held, locale)) })}</bdi>
        </span>
      ) : null}
      {money && figures.atRisk.length > 0 ? (
        <span className="at-risk-amount">
          <bdi>{t('team.atRisk', { amount: isolate(formatMoneyList(figures.atRisk, locale)) })}</bdi>
        </span>
      ) : null}
    </span>
  );
}
