import type Database from 'better-sqlite3';
import type {
  EarningsBreakdown,
  EarningsSeries,
  EarningsSummary,
  Granularity,
  WaitingToSync,
} from '../../../shared/contract/earnings';
import { SOON_WITHIN_MS } from '../../../shared/message';
import type { CurrencyCode } from '../../../shared/money';
import { rankLabels, rankSupporters } from './breakdown';
import type { CsvEntry } from './csv';
import type { ResolvedPeriod } from './period';
import { bucketsFor, SeriesBuilder } from './series';
import { buildCurrencyEarnings, periodToWire } from './summary';
import { CountedTotal, perCurrency } from './tally';

/**
 * Earnings figures from the account database, after refreshEarnings(db, zone) has folded
 * the ledger into the day rollups. Every query reads rollup rows or index ranges, never
 * the whole ledger; the results have exactly the shape (and, by test, the values) of
 * the reference computations in summary.ts / series.ts / breakdown.ts.
 */

type Row = Record<string, bigint | string | null>;
const num = (value: bigint | string | null | undefined): number => Number(value ?? 0);
const big = (value: bigint | string | null | undefined): bigint => BigInt(value ?? 0);

function all(db: Database.Database, sql: string, ...params: unknown[]): Row[] {
  return db
    .prepare(sql)
    .safeIntegers(true)
    .all(...params) as Row[];
}

interface DecisionCounts {
  buckets: Map<number, number>;
  total: number;
}

/** The exact median decision time: the histogram finds the bucket, the index the value. */
function medianDecision(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  counts: DecisionCounts,
  currency: CurrencyCode | null,
): number | null {
  if (counts.total === 0) return null;
  const valueAt = (rank: number): number => {
    let before = 0;
    for (const [bucket, count] of [...counts.buckets.entries()].sort(([a], [b]) => a - b)) {
      if (rank < before + count) {
        const value = db
          .prepare(
            `SELECT duration_ms FROM earnings_messages
             WHERE inbox_id = ? AND bucket = ? AND settled_at >= ? AND settled_at < ?
               ${currency ? 'AND currency = ?' : ''}
             ORDER BY duration_ms LIMIT 1 OFFSET ?`,
          )
          .pluck()
          .get(...[inboxId, bucket, period.start, period.end, ...(currency ? [currency] : []), rank - before]) as
          | number
          | undefined;
        if (value === undefined) throw new Error('earnings cache out of step with its histogram');
        return value;
      }
      before += count;
    }
    throw new Error('median rank outside the histogram');
  };
  const low = valueAt((counts.total - 1) >> 1);
  if (counts.total % 2 === 1) return low;
  return Math.floor((low + valueAt(counts.total >> 1)) / 2);
}

export function summaryFromStore(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  now: number,
): EarningsSummary {
  const tz = period.timeZone;
  const figures = perCurrency(() => ({
    received: new CountedTotal(),
    accepted: new CountedTotal(),
    acceptedFee: 0n,
    acceptedNet: 0n,
    refunded: new CountedTotal(),
    expired: new CountedTotal(),
    paidOut: new CountedTotal(),
    earnedAllTime: 0n,
    paidOutAllTime: 0n,
    held: new CountedTotal(),
    expiringSoon: new CountedTotal(),
    decisions: { buckets: new Map<number, number>(), total: 0 } as DecisionCounts,
  }));

  // All-time totals and the period's, in one pass over the inbox's day rows.
  for (const row of all(
    db,
    `SELECT currency, kind,
       sum(CASE WHEN day >= @from AND day < @to THEN count END) AS count,
       sum(CASE WHEN day >= @from AND day < @to THEN gross END) AS gross,
       sum(CASE WHEN day >= @from AND day < @to THEN fee END) AS fee,
       sum(CASE WHEN day >= @from AND day < @to THEN net END) AS net,
       sum(gross) AS all_gross, sum(net) AS all_net
     FROM earnings_day_rollup WHERE inbox_id = @inbox AND time_zone = @tz
     GROUP BY currency, kind`,
    { inbox: inboxId, tz, from: period.fromDay, to: period.toDay },
  )) {
    const f = figures.get(row.currency as CurrencyCode);
    const count = num(row.count);
    switch (row.kind) {
      case 'hold':
        f.received.add(big(row.gross), count);
        break;
      case 'capture':
        f.accepted.add(big(row.gross), count);
        f.acceptedFee += big(row.fee);
        f.acceptedNet += big(row.net);
        f.earnedAllTime += big(row.all_net);
        break;
      case 'refund':
        f.refunded.add(big(row.gross), count);
        break;
      case 'expire':
        f.expired.add(big(row.gross), count);
        break;
      case 'payout':
        f.paidOut.add(big(row.gross), count);
        f.paidOutAllTime += big(row.all_gross);
        break;
    }
  }

  for (const row of all(
    db,
    `SELECT currency, count(*) AS count, sum(gross) AS gross FROM earnings_messages
     WHERE inbox_id = ? AND settled_at IS NULL AND held_at IS NOT NULL GROUP BY currency`,
    inboxId,
  )) {
    figures.get(row.currency as CurrencyCode).held.add(big(row.gross), num(row.count));
  }
  for (const row of all(
    db,
    `SELECT em.currency, count(*) AS count, sum(em.gross) AS gross
     FROM earnings_messages em JOIN messages m ON m.id = em.message_id
     WHERE em.inbox_id = ? AND em.settled_at IS NULL AND em.held_at IS NOT NULL AND m.deadline <= ?
     GROUP BY em.currency`,
    inboxId,
    now + SOON_WITHIN_MS,
  )) {
    figures.get(row.currency as CurrencyCode).expiringSoon.add(big(row.gross), num(row.count));
  }

  const overall: DecisionCounts = { buckets: new Map(), total: 0 };
  for (const row of all(
    db,
    `SELECT currency, bucket, sum(count) AS count FROM earnings_day_decisions
     WHERE inbox_id = ? AND time_zone = ? AND day >= ? AND day < ? GROUP BY currency, bucket`,
    inboxId,
    tz,
    period.fromDay,
    period.toDay,
  )) {
    const bucket = num(row.bucket);
    const count = num(row.count);
    const d = figures.get(row.currency as CurrencyCode).decisions;
    d.buckets.set(bucket, (d.buckets.get(bucket) ?? 0) + count);
    d.total += count;
    overall.buckets.set(bucket, (overall.buckets.get(bucket) ?? 0) + count);
    overall.total += count;
  }

  let accepted = 0;
  let decided = 0;
  const currencies = figures.entries().map(([currency, f]) => {
    const acceptance = { accepted: f.accepted.count, decided: f.accepted.count + f.refunded.count + f.expired.count };
    accepted += acceptance.accepted;
    decided += acceptance.decided;
    return buildCurrencyEarnings(currency, {
      ...f,
      acceptance,
      medianDecisionMs: medianDecision(db, inboxId, period, f.decisions, currency),
      availableMinor: f.earnedAllTime - f.paidOutAllTime,
    });
  });

  return {
    period: periodToWire(period),
    asOf: now,
    currencies,
    acceptance: { accepted, decided },
    medianDecisionMs: medianDecision(db, inboxId, period, overall, null),
    waitingToSync: waitingToSync(db, inboxId),
  };
}

/** Accepts and refunds made here that the platform has not confirmed: shown apart. */
export function waitingToSync(db: Database.Database, inboxId: string): WaitingToSync[] {
  const waiting = perCurrency(() => ({ accepts: new CountedTotal(), refunds: new CountedTotal() }));
  for (const row of all(
    db,
    `SELECT o.kind, m.currency, count(*) AS count, sum(m.price_minor) AS gross
     FROM outbox o JOIN messages m ON m.id = o.message_id
     WHERE o.inbox_id = ? AND o.kind IN ('accept', 'refund') GROUP BY o.kind, m.currency`,
    inboxId,
  )) {
    const w = waiting.get(row.currency as CurrencyCode);
    (row.kind === 'accept' ? w.accepts : w.refunds).add(big(row.gross), num(row.count));
  }
  return waiting.entries().map(([currency, w]) => ({
    currency,
    accepts: w.accepts.toJSON(currency),
    refunds: w.refunds.toJSON(currency),
  }));
}

export function seriesFromStore(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  granularity: Granularity,
): EarningsSeries {
  const grid = bucketsFor(period, granularity);
  const builder = new SeriesBuilder(grid.buckets.length);
  for (const row of all(
    db,
    `SELECT day, currency, count, gross, net FROM earnings_day_rollup
     WHERE inbox_id = ? AND time_zone = ? AND day >= ? AND day < ? AND kind = 'capture'`,
    inboxId,
    period.timeZone,
    period.fromDay,
    period.toDay,
  )) {
    const index = grid.indexOfDay(num(row.day));
    if (index >= 0) builder.add(row.currency as CurrencyCode, index, big(row.gross), big(row.net), num(row.count));
  }
  return { period: periodToWire(period), granularity, buckets: grid.buckets, currencies: builder.build() };
}

export function breakdownFromStore(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  limit: number,
): EarningsBreakdown {
  const labels = new Map<string, { count: number; gross: bigint; net: bigint }>();
  for (const row of all(
    db,
    `SELECT l.currency, ml.label, count(*) AS count, sum(l.gross_minor) AS gross, sum(l.net_minor) AS net
     FROM ledger_events l LEFT JOIN message_labels ml ON ml.message_id = l.message_id
     WHERE l.inbox_id = ? AND l.at >= ? AND l.at < ? AND l.kind = 'capture'
     GROUP BY l.currency, ml.label`,
    inboxId,
    period.start,
    period.end,
  )) {
    labels.set(`${row.currency}\u0000${row.label ?? ''}`, {
      count: num(row.count),
      gross: big(row.gross),
      net: big(row.net),
    });
  }
  const fans = new Map<string, { count: number; gross: bigint; net: bigint }>();
  for (const row of all(
    db,
    `SELECT currency, fan_id, count(*) AS count, sum(gross_minor) AS gross, sum(net_minor) AS net
     FROM ledger_events WHERE inbox_id = ? AND at >= ? AND at < ? AND kind = 'capture' AND fan_id IS NOT NULL
     GROUP BY currency, fan_id`,
    inboxId,
    period.start,
    period.end,
  )) {
    fans.set(`${row.currency}\u0000${row.fan_id}`, { count: num(row.count), gross: big(row.gross), net: big(row.net) });
  }
  const fanName = db.prepare(
    `SELECT coalesce((SELECT display_name FROM fans WHERE id = @id),
                     (SELECT fan_name FROM messages WHERE fan_id = @id LIMIT 1))`,
  );
  return {
    period: periodToWire(period),
    labels: rankLabels(labels),
    supporters: rankSupporters(fans, (id) => (fanName.pluck().get({ id }) as string | null) ?? undefined, limit),
  };
}

export const EXPORT_PAGE_ROWS = 1_000;

export interface ExportCursor {
  at: number;
  rowid: number;
}

/** The number of ledger entries in the period, from the rollups (no scan). */
export function exportRowCount(db: Database.Database, inboxId: string, period: ResolvedPeriod): number {
  const row = all(
    db,
    `SELECT sum(count) AS n FROM earnings_day_rollup WHERE inbox_id = ? AND time_zone = ? AND day >= ? AND day < ?`,
    inboxId,
    period.timeZone,
    period.fromDay,
    period.toDay,
  )[0];
  return num(row?.n ?? 0n);
}

/** One keyset page of the period's ledger entries, oldest first, for the CSV export. */
export function exportPage(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  after: ExportCursor | null,
  limit = EXPORT_PAGE_ROWS,
): { entries: CsvEntry[]; next: ExportCursor | null } {
  const rows = db
    .prepare(
      `SELECT l.rowid AS rowid, l.id, l.kind, l.at, l.message_id, l.fan_id, l.currency,
              l.gross_minor, l.fee_minor, l.net_minor,
              coalesce(f.display_name, m.fan_name) AS fan_name
       FROM ledger_events l
       LEFT JOIN fans f ON f.id = l.fan_id
       LEFT JOIN messages m ON m.id = l.message_id
       WHERE l.inbox_id = @inbox AND l.at >= @start AND l.at < @end
         AND (l.at > @afterAt OR (l.at = @afterAt AND l.rowid > @afterRowid))
       ORDER BY l.at, l.rowid LIMIT @limit`,
    )
    .all({
      inbox: inboxId,
      start: period.start,
      end: period.end,
      afterAt: after?.at ?? -1,
      afterRowid: after?.rowid ?? -1,
      limit,
    }) as {
    rowid: number;
    id: string;
    kind: CsvEntry['kind'];
    at: number;
    message_id: string | null;
    fan_id: string | null;
    currency: CurrencyCode;
    gross_minor: number;
    fee_minor: number;
    net_minor: number;
    fan_name: string | null;
  }[];
  const entries = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    at: r.at,
    messageId: r.message_id,
    fanId: r.fan_id,
    fanName: r.fan_id ? r.fan_name : null,
    currency: r.currency,
    gross: r.gross_minor,
    fee: r.fee_minor,
    net: r.net_minor,
  }));
  const last = rows.at(-1);
  return { entries, next: rows.length === limit && last ? { at: last.at, rowid: last.rowid } : null };
}

/** Every page of the period, lazily: memory holds one page at a time. */
export function* exportPages(db: Database.Database, inboxId: string, period: ResolvedPeriod): Generator<CsvEntry[]> {
  let cursor: ExportCursor | null = null;
  do {
    const page = exportPage(db, inboxId, period, cursor);
    if (page.entries.length > 0) yield page.entries;
    cursor = page.next;
  } while (cursor);
}
