import type { Action, InboxRow } from '../../shared/contract';

/** The optimistic local effect of an action on a list row, before the core answers. */
export function applyToRow(row: InboxRow, action: Action): InboxRow {
  switch (action.kind) {
    case 'accept':
      return { ...row, pendingDecision: 'accept', localState: 'queued', read: true };
    case 'refund':
      return { ...row, pendingDecision: 'refund', localState: 'queued', read: true };
    case 'triage': {
      const p = action.patch;
      const labels = new Set(row.labels);
      for (const l of p.labelsAdd ?? []) labels.add(l);
      for (const l of p.labelsRemove ?? []) labels.delete(l);
      return {
        ...row,
        read: p.read ?? row.read,
        starred: p.starred ?? row.starred,
        archived: p.archived ?? row.archived,
        snoozedUntil: p.snoozedUntil !== undefined ? p.snoozedUntil : row.snoozedUntil,
        assigneeId: p.assigneeId !== undefined ? p.assigneeId : row.assigneeId,
        labels: [...labels],
      };
    }
    default:
      return row;
  }
}
