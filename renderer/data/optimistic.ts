import { type ActionInput, applyTriagePatch, checkAction, type Membership, type Refusal } from '../../shared/actions';
import type { Account, Action, InboxRow } from '../../shared/contract';

/** The optimistic local effect of an action on a list row, before the core answers. */
export function applyToRow(row: InboxRow, action: Action): InboxRow {
  switch (action.kind) {
    case 'accept':
    case 'refund':
      return { ...row, pendingDecision: action.kind, localState: 'queued', read: true };
    case 'triage':
      return applyTriagePatch(row, action.patch);
    default:
      return row;
  }
}

/** The person's place in the row's inbox, from the accounts the core listed. */
export function membershipFor(accounts: readonly Account[], inboxId: string): Membership | null {
  for (const account of accounts) {
    const inbox = account.inboxes.find((i) => i.inboxId === inboxId);
    if (inbox) return inbox;
  }
  return null;
}

/**
 * What the registry says of an action on a row, as the renderer knows the row: a message
 * action, or a fan action (block, unblock) asked from the message pane of that fan's message.
 */
export function refusalOnRow(
  row: InboxRow,
  action: ActionInput,
  membership: Membership | null,
  now: number,
): Refusal | null {
  return checkAction(action, {
    membership,
    message: { status: row.status, deadline: row.deadline, free: row.free, pendingDecision: row.pendingDecision },
    now,
  });
}

/** What the registry says of an inbox action (a settings edit) for this membership. */
export function inboxRefusal(action: ActionInput, membership: Membership | null, now: number): Refusal | null {
  return checkAction(action, { membership, message: null, now });
}

/**
 * The renderer's optimistic path: the registry's verdict first (the same one the core and
 * the platform reach), and only when allowed the row as it will look.
 */
export function optimisticUpdate(
  row: InboxRow,
  action: Action,
  membership: Membership | null,
  now: number,
): { ok: true; row: InboxRow } | { ok: false; refusal: Refusal } {
  const refusal = refusalOnRow(row, action, membership, now);
  return refusal ? { ok: false, refusal } : { ok: true, row: applyToRow(row, action) };
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
