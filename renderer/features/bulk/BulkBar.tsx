import { useEffect } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { bulkTotals, countFates, fateOf, queuedKey, type RowFate } from '../../data/bulkSummary';
import { onNoticeAdded } from '../../data/events';
import { useOutbox, useSyncStatus } from '../../data/queries';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import type { Command } from '../../state/keymap';
import { type BulkReportRow, useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { useSecondsLeft } from '../../ui/useNow';

/** Shown while messages are selected: count, totals per currency, and the bulk actions. */
export function BulkBar({ rows, run }: { rows: InboxRow[]; run: (command: Command) => void }) {
  const t = useT();
  const locale = useLocale();
  const selection = useUi((s) => s.selection);
  if (selection.ids.size === 0) return null;
  const selected = rows.filter((r) => selection.ids.has(r.id));
  const { count, totals } = bulkTotals(selected);
  return (
    <section className="bulk-bar" aria-label={t('bulk.label')}>
      <span>
        {t('bulk.selected', { count })} · <bdi>{formatMoneyList(totals, locale, ' + ')}</bdi>
      </span>
      <button type="button" onClick={() => run('accept')}>
        {t('action.accept')}
      </button>
      <button type="button" className="danger" onClick={() => run('refund')}>
        {t('action.refund')}
      </button>
      <button type="button" onClick={() => run('label')}>
        {t('action.label')}
      </button>
      <button type="button" onClick={() => run('archive')}>
        {t('action.archive')}
      </button>
      <button type="button" onClick={() => run('selectAll')}>
        {t('bulk.selectAll')}
      </button>
      <button type="button" onClick={() => run('clearSelection')}>
        {t('bulk.clear')}
      </button>
    </section>
  );
}

/**
 * What a bulk action did, message by message, kept true as the queue drains: queued
 * actions are said to be queued (and when they will go), applied ones as done, and those
 * the platform answered otherwise with that answer — "3 refunded and 1 was already
 * accepted by Sara". Undo for the batch is the undo toast's, in the same window.
 */
export function BulkReport() {
  const t = useT();
  const locale = useLocale();
  const report = useUi((s) => s.bulkReport);
  const accountId = useUi((s) => s.accountId);
  const undoEntry = useUi((s) => s.undo);
  const outbox = useOutbox(report ? accountId : null).data;
  const offline = useSyncStatus(report ? accountId : null).data?.state === 'offline';
  // Counted for whichever undo is current; shown only when it is this batch's.
  const undoSeconds = useSecondsLeft(undoEntry?.undoUntil ?? null, 500);
  // The platform's answer for a message of the batch arrives as a notice: kept with the report.
  useEffect(
    () =>
      onNoticeAdded((notice) => {
        const current = useUi.getState().bulkReport;
        if (!current || !notice.messageId || current.settled[notice.messageId]) return;
        if (!current.rows.some((r) => r.ok && r.messageId === notice.messageId)) return;
        const status = typeof notice.params?.status === 'string' ? notice.params.status : null;
        const who = notice.actorName ?? (typeof notice.params?.actorName === 'string' ? notice.params.actorName : null);
        useUi.getState().set({
          bulkReport: {
            ...current,
            settled: { ...current.settled, [notice.messageId]: { kind: notice.kind, status, who } },
          },
        });
      }),
    [],
  );
  if (!report) return null;
  const inputs = {
    outbox: outbox ? new Map(outbox.map((item) => [item.id, item.state] as const)) : null,
    settled: report.settled,
    undone: new Set(report.undone),
  };
  const fates = report.rows.map((row) => fateOf(row, inputs));
  const counts = countFates(fates);
  const verb = report.action === 'accept' || report.action === 'refund' ? report.action : 'other';
  const queued = counts.held + counts.waiting + counts.sending + counts.retrying;
  const batchUndo =
    undoEntry?.actionIds && report.rows.some((r) => r.actionId === undoEntry.actionId) ? undoEntry : null;
  const seconds = batchUndo ? undoSeconds : 0;
  const conflicts = report.rows.filter((_, i) => fates[i] === 'conflict');
  const oneActor = new Set(conflicts.map((r) => report.settled[r.messageId]?.who ?? '')).size === 1;
  const oneStatus = new Set(conflicts.map((r) => report.settled[r.messageId]?.status ?? '')).size === 1;
  const firstConflict = conflicts[0] ? report.settled[conflicts[0].messageId] : undefined;
  const parts: string[] = [];
  if (counts.done > 0) parts.push(t(`bulk.done.${verb === 'other' ? 'triage' : verb}`, { count: counts.done }));
  if (queued > 0) {
    const when = offline
      ? t('bulk.when.offline', { count: queued })
      : counts.held > 0 && seconds > 0
        ? t('bulk.when.held', { count: queued, seconds })
        : t('bulk.when.sending');
    parts.push(`${t(`bulk.queued.${queuedKey(report.action)}`, { count: queued })} — ${when}`);
  }
  if (counts.same > 0) parts.push(t('bulk.fate.same', { count: counts.same }));
  if (counts.conflict > 0) {
    parts.push(
      t('bulk.fate.conflict', {
        count: counts.conflict,
        status: oneStatus ? (firstConflict?.status ?? 'other') : 'other',
        who: oneActor && firstConflict?.who ? untrustedPlain(firstConflict.who) : 'none',
      }),
    );
  }
  if (counts.rejected > 0) parts.push(t('bulk.fate.rejected', { count: counts.rejected }));
  if (counts.undone > 0) parts.push(t('bulk.fate.undone', { count: counts.undone }));
  if (counts.refused > 0) parts.push(t('bulk.failed', { count: counts.refused }));
  const rowText = (row: BulkReportRow, fate: RowFate): string => {
    const answer = report.settled[row.messageId];
    switch (fate) {
      case 'refused':
        return t('bulk.row.refused', { reason: row.error ?? '' });
      case 'held':
      case 'waiting':
        return offline ? t('bulk.row.offline') : t(`bulk.row.${fate}`);
      case 'done':
        return t('bulk.row.done', { action: verb });
      case 'conflict':
        return t('bulk.row.conflict', {
          status: answer?.status ?? 'other',
          who: answer?.who ? untrustedPlain(answer.who) : 'none',
        });
      default:
        return t(`bulk.row.${fate}`);
    }
  };
  return (
    <section className="bulk-report" role="status" aria-label={t('bulk.reportLabel')} data-queued={queued}>
      <p>{new Intl.ListFormat(locale, { type: 'conjunction' }).format(parts)}</p>
      <details>
        <summary>{t('bulk.eachMessage')}</summary>
        <ul>
          {report.rows.slice(0, 200).map((row, i) => (
            <li key={row.messageId} data-message-id={row.messageId} data-fate={fates[i]} className="bulk-row">
              <UntrustedInline text={row.fanName} className="bulk-row-who" />
              <span className="bulk-row-amount num">
                <Amount value={row.price} locale={locale} />
              </span>
              <span className="bulk-row-fate">
                <span className={`label-dot ${fateTone(fates[i] ?? 'waiting', verb)}`} aria-hidden="true" />
                {rowText(row, fates[i] ?? 'waiting')}
              </span>
            </li>
          ))}
        </ul>
        {report.rows.length > 200 ? '…' : null}
      </details>
      <button type="button" onClick={() => useUi.getState().set({ bulkReport: null })}>
        {t('common.dismiss')}
      </button>
    </section>
  );
}

/**
 * A message's fate as a money state's colour (ui/primitives.css), for the dot before it:
 * refunded or captured as those states, someone else's decision amber (due), a refusal red
 * (risk: an error), anything still on its way or neither grey.
 */
function fateTone(fate: RowFate, verb: 'accept' | 'refund' | 'other'): string {
  switch (fate) {
    case 'done':
    case 'same':
      return verb === 'refund' ? 'money-refunded' : verb === 'accept' ? 'money-captured' : 'money-expired';
    case 'conflict':
      return 'money-due';
    case 'refused':
    case 'rejected':
      return 'money-risk';
    default:
      return 'money-expired';
  }
}
