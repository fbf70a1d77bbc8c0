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

type TriagePatch = Extract<Action, { kind: 'triage' }>['patch'];

/**
 * The patch that puts a row back as it was before `patch`: how triage (which moves no
 * money and never leaves a hold window) is undone. Labels come back as sets.
 */
export function inversePatch(row: InboxRow, patch: TriagePatch): TriagePatch {
  const inverse: TriagePatch = {};
  if (patch.read !== undefined) inverse.read = row.read;
  if (patch.starred !== undefined) inverse.starred = row.starred;
  if (patch.archived !== undefined) inverse.archived = row.archived;
  if (patch.snoozedUntil !== undefined) inverse.snoozedUntil = row.snoozedUntil;
  if (patch.assigneeId !== undefined) inverse.assigneeId = row.assigneeId;
  const had = new Set(row.labels);
  const added = (patch.labelsAdd ?? []).filter((l) => !had.has(l));
  const removed = (patch.labelsRemove ?? []).filter((l) => had.has(l));
  if (added.length > 0) inverse.labelsRemove = added;
  if (removed.length > 0) inverse.labelsAdd = removed;
  return inverse;
}
