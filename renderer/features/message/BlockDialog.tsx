import { useId, useState } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { bulkTotals } from '../../data/bulkSummary';
import { refundAllRefusal, refundedIn, useMyLimits } from '../../data/limits';
import { permissionsIn } from '../../data/permissions';
import { useAccounts, useFanPending } from '../../data/queries';
import { useFanActions } from '../../data/useFanActions';
import { amountInText, formatMoneyList, isolate } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { limitsSummary } from '../../i18n/limitNotice';
import { useUi } from '../../state/ui';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { untrustedPlain } from '../../ui/SafeText';

/**
 * "Block this fan?": says what blocking does, and what happens to the fan's messages still
 * waiting for an answer — refunded now (for who may refund; on by default), or left to be
 * answered or refunded at their deadline. A manager sees their money limits here, and a
 * refund the platform would refuse over them (the same rule, data/limits.ts) is refused
 * before it is asked: the box is off and says why; blocking alone stays possible.
 */
export function BlockDialog({ row }: { row: InboxRow }) {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const block = useFanActions();
  const mayRefund = permissionsIn(useAccounts().data ?? [], row.inboxId).includes('refund');
  const pending = (useFanPending(accountId, row.inboxId, row.fanId).data?.rows ?? []).filter(
    (r) => r.pendingDecision === null,
  );
  const [refund, setRefund] = useState(true);
  const refundId = useId();
  const fan = untrustedPlain(row.fanName);
  const paid = bulkTotals(pending.filter((r) => !r.free));
  const count = pending.length;
  const total = paid.totals.length > 0 ? formatMoneyList(paid.totals, locale, ' + ') : '';
  const mine = useMyLimits(accountId, row.inboxId).data;
  const overLimit = mayRefund && count > 0 ? refundAllRefusal(pending, mine) : null;
  const refunding = mayRefund && refund && count > 0 && overLimit === null;
  const money = (amount: Parameters<typeof amountInText>[0]) => amountInText(amount, locale);
  return (
    <Dialog title={t('block.title', { fan })} describedBy="block-effect">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          closeDialog();
          void block(row, { kind: 'block', fanId: row.fanId, refundPending: refunding });
        }}
      >
        <p id="block-effect">{t('block.effect', { fan })}</p>
        {count === 0 ? (
          <p className="muted">{t('block.noPending', { fan })}</p>
        ) : mayRefund ? (
          <>
            {mine?.limits ? (
              <p className="muted small" data-limits-line>
                {t('block.limits', {
                  limits: limitsSummary(mine.limits, t, locale),
                  used: money(refundedIn(mine, row.price.currency)),
                })}
              </p>
            ) : null}
            <label className="checkbox" htmlFor={refundId}>
              <input
                id={refundId}
                type="checkbox"
                checked={refunding}
                disabled={overLimit !== null}
                aria-describedby={overLimit ? 'block-over-limit' : undefined}
                onChange={(e) => setRefund(e.target.checked)}
              />
              {t('block.refundPending', { count })}
              {total ? <bdi className="num"> ({total})</bdi> : null}
            </label>
            {overLimit ? (
              <p id="block-over-limit" className="banner banner-risk" role="note" data-limit-refusal={overLimit.limit}>
                {overLimit.limit === 'max_price'
                  ? t('block.overMax', { max: money(overLimit.max), price: money(overLimit.price) })
                  : t('block.overDaily', {
                      total: total ? isolate(total) : '',
                      max: money(overLimit.max),
                      used: money(refundedIn(mine, overLimit.price.currency)),
                    })}
              </p>
            ) : null}
            <p className="muted" role="status">
              {refunding ? t('block.refundHint', { fan }) : t('block.keepPending', { count })}
            </p>
          </>
        ) : (
          <p className="muted">{t('block.keepPendingNoRefund', { count })}</p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="danger">
            {refunding ? t('block.confirmRefund', { fan }) : t('block.confirm', { fan })}
          </button>
          {/* Focus starts on Cancel: Enter right after opening blocks no one. */}
          <button type="button" onClick={closeDialog} data-autofocus>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
