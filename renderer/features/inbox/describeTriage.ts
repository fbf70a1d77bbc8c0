import type { Action } from '../../../shared/contract';
import { formatDeadlineTime } from '../../i18n/format';
import type { useT } from '../../i18n/I18n';

type TriagePatch = Extract<Action, { kind: 'triage' }>['patch'];
type T = ReturnType<typeof useT>;

/**
 * What a triage change did, in words a toast can show ("Starred", "Snoozed until 09:00").
 * Null when nothing worth a toast happened: marking a message read is what opening it does.
 */
export function describeTriage(t: T, patch: TriagePatch, now: number, locale: string): string | null {
  const parts: string[] = [];
  if (patch.starred !== undefined) parts.push(t(patch.starred ? 'toast.starred' : 'toast.unstarred'));
  if (patch.archived !== undefined) parts.push(t(patch.archived ? 'toast.archived' : 'toast.unarchived'));
  if (patch.snoozedUntil !== undefined)
    parts.push(
      patch.snoozedUntil === null
        ? t('toast.unsnoozed')
        : t('toast.snoozed', { time: formatDeadlineTime(patch.snoozedUntil, now, locale) }),
    );
  if (patch.labelsAdd && patch.labelsAdd.length > 0)
    parts.push(t('toast.labelled', { labels: patch.labelsAdd.join(', ') }));
  if (patch.labelsRemove && patch.labelsRemove.length > 0)
    parts.push(t('toast.unlabelled', { labels: patch.labelsRemove.join(', ') }));
  if (patch.assigneeId !== undefined) parts.push(t(patch.assigneeId === null ? 'toast.unassigned' : 'toast.assigned'));
  if (patch.read === false) parts.push(t('toast.markedUnread'));
  return parts.length > 0 ? parts.join(' · ') : null;
}
