import type { InboxRow } from '../../../shared/contract';
import { bulkTotals, summarizeBulk } from '../../data/bulkSummary';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import type { Command } from '../../state/keymap';
import { useUi } from '../../state/ui';

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

const VERBS = ['accept', 'refund', 'triage', 'reply', 'note'] as const;

/** "47 refunded, 3 failed: already decided by Sara", with the failed ones listed. */
export function BulkReport({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const report = useUi((s) => s.bulkReport);
  if (!report) return null;
  const outcome = summarizeBulk(report.results);
  const verb = (VERBS as readonly string[]).includes(report.action)
    ? (report.action as (typeof VERBS)[number])
    : 'triage';
  const nameOf = (id: string) => rows.find((r) => r.id === id)?.fanName ?? id;
  const failed = outcome.failures.reduce((n, f) => n + f.messageIds.length, 0);
  return (
    <section className="bulk-report" role="status" aria-label={t('bulk.reportLabel')}>
      <p>
        {t(`bulk.done.${verb}`, { count: outcome.succeeded })}
        {failed > 0 ? ` · ${t('bulk.failed', { count: failed })}` : ''}
      </p>
      {outcome.failures.length > 0 ? (
        <details>
          <summary>{t('bulk.seeList')}</summary>
          <ul>
            {outcome.failures.map((f) => (
              <li key={f.reason}>
                <span dir="auto">{f.reason}</span> ({f.messageIds.length}):{' '}
                {f.messageIds.slice(0, 20).map((id, i) => (
                  <span key={id}>
                    {i > 0 ? ', ' : ''}
                    <bdi dir="auto">{nameOf(id)}</bdi>
                  </span>
                ))}
                {f.messageIds.length > 20 ? '…' : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <button type="button" onClick={() => useUi.getState().set({ bulkReport: null })}>
        {t('common.dismiss')}
      </button>
    </section>
  );
}
