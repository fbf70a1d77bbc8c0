import { type Money, money, sumByCurrency } from '../../shared/money';

interface Priced {
  id: string;
  price: { minor: number; currency: string };
}

/** What a bulk confirm states: how many messages and the total per currency (never mixed). */
export function bulkTotals(rows: readonly Priced[]): { count: number; totals: Money[] } {
  return { count: rows.length, totals: sumByCurrency(rows.map((r) => money(r.price.minor, r.price.currency))) };
}

export interface BulkResultItem {
  messageId: string;
  ok: boolean;
  error: string | null;
}

export interface BulkOutcome {
  succeeded: number;
  /** Failures grouped by their reason, largest group first, each with its messages. */
  failures: { reason: string; messageIds: string[] }[];
}

/** Turns per-message results into "47 refunded, 3 already decided by Sara — see list". */
export function summarizeBulk(results: readonly BulkResultItem[]): BulkOutcome {
  const groups = new Map<string, string[]>();
  let succeeded = 0;
  for (const result of results) {
    if (result.ok) {
      succeeded += 1;
      continue;
    }
    const reason = result.error ?? 'unknown';
    const ids = groups.get(reason) ?? [];
    ids.push(result.messageId);
    groups.set(reason, ids);
  }
  const failures = [...groups.entries()]
    .map(([reason, messageIds]) => ({ reason, messageIds }))
    .sort((a, b) => b.messageIds.length - a.messageIds.length || a.reason.localeCompare(b.reason));
  return { succeeded, failures };
}
/** Where one message of a bulk action stands now. */
export type RowFate =
  | 'refused'
  | 'held'
  | 'waiting'
  | 'sending'
  | 'retrying'
  | 'done'
  | 'same'
  | 'conflict'
  | 'rejected'
  | 'undone';

export interface FateInputs {
  /** The outbox as last read, by action id (null before it is read: nothing is known to have left). */
  outbox: ReadonlyMap<string, 'held' | 'waiting' | 'sending' | 'retrying'> | null;
  /** By message id: the platform's answer when it was not simply applied. */
  settled: Readonly<Record<string, { kind: 'conflict' | 'rejected' | 'info' }>>;
  undone: ReadonlySet<string>;
}

/**
 * A queued action is "done" only once it has left the outbox with no notice about it;
 * while it is in the outbox it is said to be waiting, whatever the list shows.
 */
export function fateOf(
  row: { messageId: string; ok: boolean; actionId: string | null },
  { outbox, settled, undone }: FateInputs,
): RowFate {
  if (!row.ok || !row.actionId) return 'refused';
  if (undone.has(row.actionId)) return 'undone';
  const answer = settled[row.messageId];
  if (answer) return answer.kind === 'info' ? 'same' : answer.kind;
  if (!outbox) return 'waiting';
  return outbox.get(row.actionId) ?? 'done';
}

export function countFates(fates: readonly RowFate[]): Record<RowFate, number> {
  const counts: Record<RowFate, number> = {
    refused: 0,
    held: 0,
    waiting: 0,
    sending: 0,
    retrying: 0,
    done: 0,
    same: 0,
    conflict: 0,
    rejected: 0,
    undone: 0,
  };
  for (const fate of fates) counts[fate] += 1;
  return counts;
}

/** Which "N … queued" sentence names a batch of this action. */
export function queuedKey(kind: string): 'accept' | 'refund' | 'triage' | 'other' {
  return kind === 'accept' || kind === 'refund' || kind === 'triage' ? kind : 'other';
}
