import type { InboxRow } from '../../shared/contract';
import { type Command, ROW_COMMANDS } from '../state/keymap';
import { refusalOnRow } from './optimistic';

/**
 * Why a command cannot run on the rows it targets — one answer for keys, buttons and the
 * palette, so a refused command always has a reason to show. Pure: the clock is passed in
 * (the platform's time, see `data/clock`), the person's permissions in the row's inbox too.
 * The codes are the registry's (shared/actions/check.ts), plus `noMessage`; each has one
 * sentence, `refusal.<code>` in the i18n catalogs.
 */
export type Refusal =
  | { code: 'noMessage' }
  | { code: 'already_decided'; status: 'accepted' | 'refunded' | 'expired' }
  | { code: 'already_queued'; queued: 'accept' | 'refund' }
  | { code: 'deadline_passed' }
  | { code: 'forbidden'; needs: 'accept' | 'refund' | 'reply' | 'draft' }
  | { code: 'not_accepted' };

const DECISIONS: ReadonlySet<Command> = new Set(['accept', 'acceptReply', 'refund']);

/** The mode `reply` takes on a row: a plain reply once accepted, otherwise accept & reply. */
export function replyMode(command: 'reply' | 'acceptReply', row: InboxRow): 'reply' | 'acceptReply' {
  return command === 'reply' && row.status === 'accepted' ? 'reply' : 'acceptReply';
}

/** The state machine's part of the registry's check, for anyone allowed to decide. */
const DECIDER = { role: 'owner', permissions: [] } as const;

/** Whether a decision can still be taken on the row now (by the platform's clock), as the registry says. */
export function decisionRefusal(row: InboxRow, now: number): Refusal | null {
  const refusal = refusalOnRow(row, { kind: 'accept' }, DECIDER, now);
  switch (refusal?.code) {
    case undefined:
      return null;
    case 'already_queued':
      return { code: 'already_queued', queued: refusal.queued };
    case 'deadline_passed':
      return { code: 'deadline_passed' };
    default:
      return row.status === 'pending' ? { code: 'deadline_passed' } : { code: 'already_decided', status: row.status };
  }
}

/**
 * The refusal for `command` on `targets` (the selection, or the focused row), or null when
 * it can run on at least one of them.
 */
export function refusalFor(
  command: Command,
  targets: readonly InboxRow[],
  now: number,
  can: (inboxId: string, permission: 'accept' | 'refund' | 'reply' | 'draft') => boolean,
): Refusal | null {
  if (!ROW_COMMANDS.has(command)) return null;
  const first = targets[0];
  if (!first) return { code: 'noMessage' };
  // A draft is checked like an accept (pending, before its deadline) but needs only `draft`.
  if (command === 'draftReply') {
    return decisionRefusal(first, now) ?? (can(first.inboxId, 'draft') ? null : { code: 'forbidden', needs: 'draft' });
  }
  const permission =
    command === 'accept' || command === 'acceptReply'
      ? 'accept'
      : command === 'refund'
        ? 'refund'
        : command === 'reply'
          ? replyMode('reply', first) === 'reply'
            ? 'reply'
            : 'accept'
          : null;
  const isDecision = DECISIONS.has(command) || (command === 'reply' && replyMode('reply', first) === 'acceptReply');
  if (isDecision) {
    let firstRefusal: Refusal | null = null;
    // Accepting with a reply replies too: the registry asks for both permissions.
    const needed: readonly ('accept' | 'refund' | 'reply')[] =
      command === 'acceptReply' || command === 'reply' ? ['accept', 'reply'] : permission ? [permission] : [];
    for (const row of targets) {
      const missing = needed.find((p) => !can(row.inboxId, p));
      const refusal = decisionRefusal(row, now) ?? (missing ? ({ code: 'forbidden', needs: missing } as const) : null);
      if (!refusal) return null;
      firstRefusal ??= refusal;
    }
    // A reply on a refunded or expired message: it was never accepted.
    if (command === 'reply' && firstRefusal?.code === 'already_decided') return { code: 'not_accepted' };
    return firstRefusal;
  }
  if (command === 'reply' && permission === 'reply' && !can(first.inboxId, 'reply')) {
    return { code: 'forbidden', needs: 'reply' };
  }
  return null;
}
