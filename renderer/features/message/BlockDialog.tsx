import { useId, useState } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { bulkTotals } from '../../data/bulkSummary';
import { permissionsIn } from '../../data/permissions';
import { useAccounts, useFanPending } from '../../data/queries';
import { useFanActions } from '../../data/useFanActions';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { untrustedPlain } from '../../ui/SafeText';

/**
 * "Block this fan?": says what blocking does, and what happens to the fan's messages still
 * waiting for an answer — refunded now (for who may refund; on by default), or left to be
 * answered or refunded at their deadline.
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
  const refunding = mayRefund && refund && count > 0;
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
            <label className="checkbox" htmlFor={refundId}>
              <input id={refundId} type="checkbox" checked={refund} onChange={(e) => setRefund(e.target.checked)} />
              {t('block.refundPending', { count })}
              {total ? <bdi className="num"> ({total})</bdi> : null}
            </label>
            <p className="muted" role="status">
              {refund ? t('block.refundHint', { fan }) : t('block.keepPending', { count })}
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
