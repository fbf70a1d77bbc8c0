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
