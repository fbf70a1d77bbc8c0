import type Database from 'better-sqlite3';
import type { Account, InboxOverview } from '../../../shared/contract';
import { SOON_WITHIN_MS } from '../../../shared/message';
import type { CurrencyCode } from '../../../shared/money';
import { stmt } from '../store/statements';

interface Row {
  inbox_id: string;
  currency: CurrencyCode;
  n: number;
  held: number;
  at_risk: number;
  next_deadline: number | null;
}

/**
 * Every inbox the person works in, with what waits in it: pending count, money held and
 * money that will be refunded within a day if nobody acts. One grouped query over the
 * pending index, whatever the number of inboxes.
 */
export function inboxOverview(db: Database.Database, account: Account, now: number): InboxOverview[] {
  const rows = stmt(
    db,
    `SELECT inbox_id, currency, count(*) AS n, sum(price_minor) AS held,
       sum(CASE WHEN deadline > @now AND deadline <= @until THEN price_minor ELSE 0 END) AS at_risk,
       min(CASE WHEN deadline > @now THEN deadline END) AS next_deadline
     FROM messages WHERE status = 'pending' GROUP BY inbox_id, currency ORDER BY inbox_id, currency`,
  ).all({ now, until: now + SOON_WITHIN_MS }) as Row[];
  return account.inboxes.map((inbox) => {
    const mine = rows.filter((r) => r.inbox_id === inbox.inboxId);
    const deadlines = mine.map((r) => r.next_deadline).filter((d): d is number => d !== null);
    return {
      ...inbox,
      pending: mine.reduce((sum, r) => sum + r.n, 0),
      held: mine.filter((r) => r.held > 0).map((r) => ({ minor: r.held, currency: r.currency })),
      atRisk: mine.filter((r) => r.at_risk > 0).map((r) => ({ minor: r.at_risk, currency: r.currency })),
      nextDeadline: deadlines.length > 0 ? Math.min(...deadlines) : null,
    };
  });
}
