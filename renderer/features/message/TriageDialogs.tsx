import { useId, useState } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { HOUR_MS } from '../../../shared/message';
import { bulkTotals } from '../../data/bulkSummary';
import { useAccounts, useCounts } from '../../data/queries';
import { useTriage } from '../../data/useTriage';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { advanceAfterDecision } from '../../state/advance';
import { useUi } from '../../state/ui';
import { TeamAssignees } from '../../ui/Assignees';
import { closeDialog, Dialog } from '../../ui/Dialog';

const REASONS = ['not_for_me', 'inappropriate', 'cannot_answer', 'other'] as const;

function TotalsLine({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const locale = useLocale();
  const { count, totals } = bulkTotals(rows);
  return (
    <p className="totals" id="bulk-totals">
      {t('bulk.countTotal', {
        count,
        total: formatMoneyList(totals, locale, ' + '),
      })}
    </p>
  );
}

export function RefundDialog({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const triage = useTriage();
  const [reason, setReason] = useState<(typeof REASONS)[number]>('not_for_me');
  const [note, setNote] = useState('');
  const noteId = useId();
  return (
    <Dialog title={t('refund.title', { count: rows.length })} describedBy="bulk-totals">
      <form
        onKeyDown={(event) => {
          // Shift+R then Enter refunds with the default reason: keyboard triage stays two keys.
          if (
            event.key === 'Enter' &&
            !(event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLButtonElement)
          ) {
            event.preventDefault();
            event.currentTarget.requestSubmit();
          }
        }}
        onSubmit={(event) => {
          event.preventDefault();
          const noteToFan = note.trim();
          closeDialog();
          if (rows.length === 1 && rows[0]) advanceAfterDecision(rows[0].id);
          void triage.run(rows, { kind: 'refund', reason, ...(noteToFan ? { noteToFan } : {}) });
        }}
      >
        <TotalsLine rows={rows} />
        <fieldset>
          <legend>{t('refund.reason')}</legend>
          {REASONS.map((r) => (
            <label key={r} className="radio">
              <input
                type="radio"
                name="reason"
                value={r}
                checked={reason === r}
                onChange={() => setReason(r)}
                data-autofocus={reason === r ? true : undefined}
              />
              {t(`refund.reason.${r}`)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={noteId}>{t('refund.note')}</label>
        <textarea
          id={noteId}
          dir="auto"
          maxLength={500}
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <p className="muted">{t('refund.hint')}</p>
        <div className="dialog-actions">
          <button type="submit" className="danger">
            {t('refund.confirm', { count: rows.length })}
          </button>
          <button type="button" onClick={closeDialog}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function BulkConfirmDialog({ rows, action }: { rows: InboxRow[]; action: 'accept' | 'archive' }) {
  const t = useT();
  const triage = useTriage();
  return (
    <Dialog
      title={t(action === 'accept' ? 'bulk.acceptTitle' : 'bulk.archiveTitle', { count: rows.length })}
      describedBy="bulk-totals"
    >
      <TotalsLine rows={rows} />
      {action === 'accept' ? <p className="muted">{t('bulk.acceptHint')}</p> : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="primary"
          data-autofocus
          onClick={() => {
            closeDialog();
            void triage.run(
              rows,
              action === 'accept' ? { kind: 'accept' } : { kind: 'triage', patch: { archived: true } },
            );
          }}
        >
          {t(action === 'accept' ? 'bulk.acceptConfirm' : 'bulk.archiveConfirm', { count: rows.length })}
        </button>
        <button type="button" onClick={closeDialog}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function LabelDialog({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const triage = useTriage();
  const accountId = useUi((s) => s.accountId);
  const inboxId = useUi((s) => s.inboxId);
  const counts = useCounts(accountId, inboxId);
  const known = (counts.data?.views ?? []).flatMap((v) => (v.view === 'label' && v.label ? [v.label] : []));
  const [text, setText] = useState('');
  const inputId = useId();
  const onAll = (label: string) => rows.every((r) => r.labels.includes(label));
  const apply = (label: string, add: boolean) => {
    closeDialog();
    void triage.run(rows, { kind: 'triage', patch: add ? { labelsAdd: [label] } : { labelsRemove: [label] } });
  };
  const existing = [...new Set([...known, ...rows.flatMap((r) => r.labels)])].sort();
  return (
    <Dialog title={t('label.title', { count: rows.length })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const label = text.trim();
          if (label) apply(label, true);
        }}
      >
        <label htmlFor={inputId}>{t('label.new')}</label>
        <input
          id={inputId}
          dir="auto"
          maxLength={64}
          value={text}
          data-autofocus
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={text.trim() === ''}>
          {t('label.add')}
        </button>
      </form>
      {existing.length > 0 ? (
        <ul className="label-list">
          {existing.map((label) => (
            <li key={label}>
              <button type="button" aria-pressed={onAll(label)} onClick={() => apply(label, !onAll(label))}>
                <bdi dir="auto">{label}</bdi>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}

export function SnoozeDialog({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const triage = useTriage();
  const [custom, setCustom] = useState('');
  const inputId = useId();
  const snooze = (until: number | null) => {
    closeDialog();
    // Snoozed, the message leaves the list: the next key must find the next one focused
    // already, not the one on its way out (a key pressed meanwhile was refused as a focus change).
    if (until !== null && rows.length === 1 && rows[0]) advanceAfterDecision(rows[0].id);
    void triage.run(rows, { kind: 'triage', patch: { snoozedUntil: until } });
  };
  const tomorrow9 = () => {
    const d = new Date();
    d.setDate(d.getDate() + 1);
    d.setHours(9, 0, 0, 0);
    return d.getTime();
  };
  const deadline = Math.min(...rows.filter((r) => r.status === 'pending').map((r) => r.deadline));
  return (
    <Dialog title={t('snooze.title', { count: rows.length })}>
      <div className="choice-list">
        <button type="button" data-autofocus onClick={() => snooze(Date.now() + 3 * HOUR_MS)}>
          {t('snooze.threeHours')}
        </button>
        <button type="button" onClick={() => snooze(tomorrow9())}>
          {t('snooze.tomorrow')}
        </button>
        <button type="button" onClick={() => snooze(Date.now() + 7 * 24 * HOUR_MS)}>
          {t('snooze.nextWeek')}
        </button>
        {rows.some((r) => r.snoozedUntil !== null) ? (
          <button type="button" onClick={() => snooze(null)}>
            {t('snooze.clear')}
          </button>
        ) : null}
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const at = new Date(custom).getTime();
          if (!Number.isNaN(at) && at > Date.now()) snooze(at);
        }}
      >
        <label htmlFor={inputId}>{t('snooze.custom')}</label>
        <input id={inputId} type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} />
        <button type="submit" disabled={custom === ''}>
          {t('snooze.apply')}
        </button>
      </form>
      {Number.isFinite(deadline) ? <p className="muted">{t('snooze.deadlineWarning')}</p> : null}
    </Dialog>
  );
}

export function AssignDialog({ rows }: { rows: InboxRow[] }) {
  const t = useT();
  const triage = useTriage();
  const accountId = useUi((s) => s.accountId);
  const me = useAccounts().data?.find((a) => a.id === accountId)?.userId ?? null;
  const assign = (assigneeId: string | null) => {
    closeDialog();
    void triage.run(rows, { kind: 'triage', patch: { assigneeId } });
  };
  return (
    <Dialog title={t('assign.title', { count: rows.length })}>
      <div className="choice-list">
        {me ? (
          <button type="button" data-autofocus onClick={() => assign(me)}>
            {t('assign.me')}
          </button>
        ) : null}
        <TeamAssignees rows={rows} exclude={me} onAssign={assign} />
        <button type="button" onClick={() => assign(null)}>
          {t('assign.nobody')}
        </button>
      </div>
    </Dialog>
  );
}
