import { useQueryClient } from '@tanstack/react-query';
import { memo, useEffect } from 'react';
import { getBridge } from '../../bridge';
import { setPlatformClockOffset } from '../../data/clock';
import { keys } from '../../data/keys';
import { useOutbox, useSyncStatus } from '../../data/queries';
import { formatDateTime, formatDeadlineTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { markActionsUndone, useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { flash } from '../../ui/flash';
import { UntrustedInline } from '../../ui/SafeText';
import { usePlatformNow } from '../../ui/useNow';

/** Online / offline / syncing, bootstrap progress and the pending actions count. */
export const SyncIndicator = memo(function SyncIndicator() {
  const t = useT();
  const accountId = useUi((s) => s.accountId);
  const status = useSyncStatus(accountId).data;
  // Every deadline on screen is judged on the platform's clock (renderer/data/clock.ts).
  const clockOffsetMs = status?.clockOffsetMs ?? 0;
  useEffect(() => setPlatformClockOffset(clockOffsetMs), [clockOffsetMs]);
  if (!status) return null;
  const bootstrap = status.bootstrap;
  return (
    <div className="sync" data-state={status.state}>
      <span className={`sync-dot sync-${status.state}`} aria-hidden="true" />
      <span className="sync-state" role="status">
        {t(`sync.${status.state}`)}
      </span>
      {bootstrap && bootstrap.total > 0 && bootstrap.done < bootstrap.total ? (
        <span className="bootstrap">
          <progress
            max={bootstrap.total}
            value={bootstrap.done}
            aria-label={t('sync.bootstrapLabel')}
            aria-valuetext={t('sync.bootstrap', { done: bootstrap.done, total: bootstrap.total })}
          />
          <span className="small">{t('sync.bootstrap', { done: bootstrap.done, total: bootstrap.total })}</span>
        </span>
      ) : null}
      {(status.state === 'offline' || status.state === 'behind') && accountId ? (
        <button type="button" onClick={() => void getBridge().call('sync.retry', { accountId })}>
          {t('outbox.retry')}
        </button>
      ) : null}
      <button
        type="button"
        className={status.pendingActions > 0 ? 'pending-button has-pending' : 'pending-button'}
        onClick={() => useUi.getState().set({ dialog: { kind: 'outbox' } })}
      >
        {t('sync.pending', { count: status.pendingActions })}
      </button>
    </div>
  );
});

export function OutboxDialog() {
  const t = useT();
  const locale = useLocale();
  const now = usePlatformNow();
  const accountId = useUi((s) => s.accountId);
  const outbox = useOutbox(accountId);
  const cancel = async (actionId: string) => {
    if (!accountId) return;
    const { undone } = await getBridge().call('actions.undo', { accountId, actionId });
    // Cancelled alone from a batch: the bulk result must not count it as done.
    if (undone) markActionsUndone([actionId]);
    flash(undone ? t('outbox.cancelled') : t('outbox.cannotCancel'), undone ? 'done' : 'refused');
    void client.invalidateQueries({ queryKey: keys.outbox(accountId) });
  };
  const status = useSyncStatus(accountId).data;
  const client = useQueryClient();
  const items = outbox.data ?? [];
  return (
    <Dialog title={t('outbox.title')}>
      {status?.lastSyncAt ? (
        <p className="muted">{t('outbox.lastSync', { time: formatDateTime(status.lastSyncAt, locale) })}</p>
      ) : null}
      {items.length === 0 ? (
        <p>{t('outbox.empty')}</p>
      ) : (
        <ul className="outbox-list">
          {items.map((item) => (
            <li key={item.id} data-state={item.state} data-message-id={item.messageId ?? undefined}>
              <strong>{t(`outbox.kind.${kindKey(item.kind)}`)}</strong>
              {item.fanName !== null ? (
                <>
                  {' · '}
                  <UntrustedInline text={item.fanName} />
                </>
              ) : null}
              {item.price ? (
                <>
                  {' · '}
                  <Amount value={item.price} locale={locale} />
                </>
              ) : null}
              {' — '}
              {t(`outbox.state.${item.state}`)}
              {item.attempts > 0 ? ` · ${t('outbox.attempts', { count: item.attempts })}` : ''}
              {item.kind === 'accept' && item.deadline !== null ? (
                item.deadline <= now ? (
                  <div className="urgency-overdue small">{t('row.missed')}</div>
                ) : (
                  <div className="banner-waiting small">
                    {t('row.acceptWaiting', { time: formatDeadlineTime(item.deadline, now, locale) })}
                  </div>
                )
              ) : null}
              {item.lastError ? (
                <div className="muted small">{t('outbox.lastError', { error: item.lastError })}</div>
              ) : null}
              {/* Only what cannot have reached the platform can be taken back for sure (core README). */}
              {item.cancellable ? (
                <button type="button" className="small" onClick={() => void cancel(item.id)}>
                  {t('outbox.cancel')}
                </button>
              ) : (
                <div className="muted small">{t('outbox.cancelTried')}</div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="primary"
          onClick={async () => {
            if (!accountId) return;
            await getBridge().call('sync.retry', { accountId });
            void client.invalidateQueries({ queryKey: keys.outbox(accountId) });
          }}
        >
          {t('outbox.retry')}
        </button>
        <button type="button" onClick={closeDialog}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

const KINDS = ['accept', 'refund', 'reply', 'triage', 'note', 'settings', 'block', 'unblock'] as const;
function kindKey(kind: string): (typeof KINDS)[number] | 'other' {
  return (KINDS as readonly string[]).includes(kind) ? (kind as (typeof KINDS)[number]) : 'other';
}
