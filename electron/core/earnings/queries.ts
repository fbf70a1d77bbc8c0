import type Database from 'better-sqlite3';
import type {
  EarningsBreakdown,
  EarningsSeries,
  EarningsSummary,
  Granularity,
  WaitingToSync,
} from '../../../shared/contract/earnings';
import { SOON_WITHIN_MS, windowSql } from '../../../shared/message';
import type { CurrencyCode } from '../../../shared/money';
import { rankLabels, rankSupporters, rankTiers } from './breakdown';
import type { CsvEntry } from './csv';
import type { ResolvedPeriod } from './period';
import { bucketsFor, SeriesBuilder } from './series';
import { assembleSummary, CurrencyTally, periodToWire } from './summary';
import { CountedTotal, perCurrency } from './tally';
import { addMonths, monthStart } from './zone';

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

/**
 * A period as whole local months (read from the month tables) plus the days before the
 * first and after the last whole month (read from the day tables).
 */
export function periodSlices(period: ResolvedPeriod) {
  const firstFull = monthStart(period.fromDay) === period.fromDay ? period.fromDay : addMonths(period.fromDay, 1);
  const afterFull = monthStart(period.toDay);
  if (firstFull >= afterFull) {
    return { m1: 0, m2: 0, a1: period.fromDay, a2: period.toDay, b1: 0, b2: 0 };
  }
  return { m1: firstFull, m2: afterFull, a1: period.fromDay, a2: firstFull, b1: afterFull, b2: period.toDay };
}

/** Rows of a day table and its month table covering the period exactly once. */
function periodUnion(columns: string, dayTable: string, monthTable: string): string {
  const where = 'inbox_id = @inbox AND time_zone = @tz';
  return `SELECT ${columns} FROM ${monthTable} WHERE ${where} AND month >= @m1 AND month < @m2
    UNION ALL SELECT ${columns} FROM ${dayTable} WHERE ${where} AND day >= @a1 AND day < @a2
    UNION ALL SELECT ${columns} FROM ${dayTable} WHERE ${where} AND day >= @b1 AND day < @b2`;
}

interface DecisionCounts {
  buckets: Map<number, number>;
  total: number;
}

/** Where a rank falls: its bucket and its rank among that bucket's decisions. */
function locate(counts: DecisionCounts, rank: number): { bucket: number; offset: number } {
  let before = 0;
  for (const [bucket, count] of [...counts.buckets.entries()].sort(([a], [b]) => a - b)) {
    if (rank < before + count) return { bucket, offset: rank - before };
    before += count;
  }
  throw new Error('median rank outside the histogram');
}

/**
 * Exact median decision times, per currency and overall. The day histograms say which
 * duration bucket holds each median; one index range per such bucket (usually one for
 * all currencies) gives the period's decisions in it, sorted, and the ranks pick the value.
 */
function medianDecisions(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  perCurrencyCounts: Map<CurrencyCode, DecisionCounts>,
  overall: DecisionCounts,
): { overall: number | null; byCurrency: Map<CurrencyCode, number | null> } {
  const nth = db.prepare(
    `SELECT duration_ms FROM earnings_messages INDEXED BY earnings_messages_decisions
     WHERE inbox_id = @inbox AND bucket = @bucket AND settled_at >= @start AND settled_at < @end
       AND (@currency IS NULL OR currency = @currency)
     ORDER BY duration_ms LIMIT 2 OFFSET @offset`,
  );
  const median = (counts: DecisionCounts, currency: CurrencyCode | null): number | null => {
    if (counts.total === 0) return null;
    const valuesFrom = (rank: number) => {
      const { bucket, offset } = locate(counts, rank);
      return nth
        .pluck()
        .all({ inbox: inboxId, bucket, start: period.start, end: period.end, currency, offset }) as number[];
    };
    const lowRank = (counts.total - 1) >> 1;
    const low = valuesFrom(lowRank);
    if (low[0] === undefined) throw new Error('earnings cache out of step with its histogram');
    if (counts.total % 2 === 1) return low[0];
    // The upper middle is the next value in the same bucket, or the first of the next one.
    const high = locate(counts, lowRank + 1).offset === 0 ? valuesFrom(lowRank + 1)[0] : low[1];
    if (high === undefined) throw new Error('earnings cache out of step with its histogram');
    return Math.floor((low[0] + high) / 2);
  };
  const byCurrency = new Map<CurrencyCode, number | null>();
  for (const [currency, counts] of perCurrencyCounts) byCurrency.set(currency, median(counts, currency));
  return { overall: median(overall, null), byCurrency };
}

export function summaryFromStore(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  now: number,
): EarningsSummary {
  const tz = period.timeZone;
  const figures = perCurrency(() =>
    Object.assign(new CurrencyTally(), {
      decisions: { buckets: new Map<number, number>(), total: 0 } as DecisionCounts,
    }),
  );

  const params = { inbox: inboxId, tz, ...periodSlices(period) };
  for (const row of all(
    db,
    `SELECT currency, kind, sum(count) AS count, sum(gross) AS gross, sum(fee) AS fee, sum(net) AS net
     FROM (${periodUnion('currency, kind, count, gross, fee, net', 'earnings_day_rollup', 'earnings_month_rollup')})
     GROUP BY currency, kind`,
    params,
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
        break;
      case 'refund':
        f.refunded.add(big(row.gross), count);
        break;
      case 'expire':
        f.expired.add(big(row.gross), count);
        break;
      case 'payout':
        f.paidOut.add(big(row.gross), count);
        break;
    }
  }
  // All time, for the balance (and so that every currency ever seen is listed).
  for (const row of all(
    db,
    `SELECT currency, kind, sum(gross) AS gross, sum(net) AS net FROM earnings_month_rollup
     WHERE inbox_id = ? AND time_zone = ? GROUP BY currency, kind`,
    inboxId,
    tz,
  )) {
    const f = figures.get(row.currency as CurrencyCode);
    if (row.kind === 'capture') f.earnedAllTime += big(row.net);
    if (row.kind === 'payout') f.paidOutAllTime += big(row.gross);
  }

  // Held payments: folded totals, and the ones due soon by the deadline index (a held
  // payment folded before its message arrived has no deadline of its own: read the message's).
  for (const row of all(
    db,
    'SELECT currency, count, gross FROM earnings_held WHERE inbox_id = ? AND count <> 0',
    inboxId,
  )) {
    figures.get(row.currency as CurrencyCode).held.add(big(row.gross), num(row.count));
  }
  for (const row of all(
    db,
    `SELECT currency, count(*) AS count, sum(gross) AS gross FROM (
       SELECT currency, gross FROM earnings_messages
       WHERE inbox_id = @inbox AND settled_at IS NULL AND held_at IS NOT NULL AND deadline <= @soon
       UNION ALL
       SELECT em.currency, em.gross FROM earnings_messages em CROSS JOIN messages m ON m.id = em.message_id
       WHERE em.inbox_id = @inbox AND em.settled_at IS NULL AND em.held_at IS NOT NULL AND em.deadline IS NULL
         AND m.deadline <= @soon)
     GROUP BY currency`,
    { inbox: inboxId, soon: now + SOON_WITHIN_MS },
  )) {
    figures.get(row.currency as CurrencyCode).expiringSoon.add(big(row.gross), num(row.count));
  }

  const overall: DecisionCounts = { buckets: new Map(), total: 0 };
  for (const row of all(
    db,
    `SELECT currency, bucket, sum(count) AS count
     FROM (${periodUnion('currency, bucket, count', 'earnings_day_decisions', 'earnings_month_decisions')})
     GROUP BY currency, bucket`,
    params,
  )) {
    const bucket = num(row.bucket);
    const count = num(row.count);
    const d = figures.get(row.currency as CurrencyCode).decisions;
    d.buckets.set(bucket, (d.buckets.get(bucket) ?? 0) + count);
    d.total += count;
    overall.buckets.set(bucket, (overall.buckets.get(bucket) ?? 0) + count);
    overall.total += count;
  }

  const medians = medianDecisions(
    db,
    inboxId,
    period,
    new Map(figures.entries().map(([currency, f]) => [currency, f.decisions])),
    overall,
  );
  return assembleSummary(
    period,
    now,
    figures.entries().map(([currency, f]) => [currency, f, medians.byCurrency.get(currency) ?? null]),
    medians.overall,
    waitingToSync(db, inboxId),
  );
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
  const params = { inbox: inboxId, tz: period.timeZone, ...periodSlices(period) };
  type Totals = { count: number; gross: bigint; net: bigint };
  // Labels change after the money moved (they are triage), so they are joined at query
  // time, starting from the labelled messages (CROSS JOIN keeps SQLite from driving the
  // join from every paid message instead); everything else comes from rollups.
  const labels = new Map<string, Totals>();
  const unlabelled = new Map<string, Totals>();
  for (const row of all(
    db,
    `SELECT currency, sum(count) AS count, sum(gross) AS gross, sum(net) AS net
     FROM (${periodUnion('currency, kind, count, gross, net', 'earnings_day_rollup', 'earnings_month_rollup')})
     WHERE kind = 'capture' GROUP BY currency`,
    params,
  )) {
    unlabelled.set(row.currency as string, { count: num(row.count), gross: big(row.gross), net: big(row.net) });
  }
  const inPeriod = `em.inbox_id = @inbox AND em.settle_kind = 'capture' AND em.settled_at >= @start AND em.settled_at < @end`;
  const range = { inbox: inboxId, start: period.start, end: period.end };
  for (const row of all(
    db,
    `SELECT em.currency, ml.label, count(*) AS count, sum(em.gross) AS gross, sum(em.net) AS net
     FROM message_labels ml CROSS JOIN earnings_messages em ON em.message_id = ml.message_id
     WHERE ${inPeriod} GROUP BY em.currency, ml.label`,
    range,
  )) {
    labels.set(`${row.currency}\u0000${row.label}`, {
      count: num(row.count),
      gross: big(row.gross),
      net: big(row.net),
    });
  }
  for (const row of all(
    db,
    `SELECT em.currency, count(*) AS count, sum(em.gross) AS gross, sum(em.net) AS net
     FROM (SELECT DISTINCT message_id FROM message_labels) labelled
     CROSS JOIN earnings_messages em ON em.message_id = labelled.message_id
     WHERE ${inPeriod} GROUP BY em.currency`,
    range,
  )) {
    const total = unlabelled.get(row.currency as string);
    if (!total) continue;
    total.count -= num(row.count);
    total.gross -= big(row.gross);
    total.net -= big(row.net);
  }
  for (const [currency, total] of unlabelled) if (total.count > 0) labels.set(`${currency}\u0000`, total);

  const fans = new Map<string, Totals>();
  for (const row of all(
    db,
    `SELECT currency, fan_id, sum(count) AS count, sum(gross) AS gross
     FROM (${periodUnion('currency, fan_id, count, gross', 'earnings_day_fans', 'earnings_month_fans')})
     GROUP BY currency, fan_id`,
    params,
  )) {
    fans.set(`${row.currency}\u0000${row.fan_id}`, { count: num(row.count), gross: big(row.gross), net: 0n });
  }
  // Tiers: the window each captured message was paid for, read from the message itself.
  const tiers = new Map<string, Totals>();
  for (const row of all(
    db,
    `SELECT em.currency, ${windowSql('m')} AS window, count(*) AS count, sum(em.gross) AS gross, sum(em.net) AS net
     FROM earnings_messages em CROSS JOIN messages m ON m.id = em.message_id
     WHERE ${inPeriod} GROUP BY em.currency, window`,
    range,
  )) {
    tiers.set(`${row.currency}\u0000${row.window}`, {
      count: num(row.count),
      gross: big(row.gross),
      net: big(row.net),
    });
  }
  const fanName = db.prepare(
    `SELECT coalesce((SELECT display_name FROM fans WHERE id = @id LIMIT 1),
                     (SELECT fan_name FROM messages WHERE fan_id = @id LIMIT 1))`,
  );
  return {
    period: periodToWire(period),
    labels: rankLabels(labels),
    supporters: rankSupporters(fans, (id) => (fanName.pluck().get({ id }) as string | null) ?? undefined, limit),
    tiers: rankTiers(tiers),
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
    `SELECT sum(count) AS n FROM (${periodUnion('count', 'earnings_day_rollup', 'earnings_month_rollup')})`,
    { inbox: inboxId, tz: period.timeZone, ...periodSlices(period) },
  )[0];
  return num(row?.n ?? 0n);
}

/**
 * The available balance per currency before the period starts (captures' net − payouts,
 * as csv.ts availableDelta): where the export's running balance begins.
 */
export function openingBalances(db: Database.Database, inboxId: string, period: ResolvedPeriod): Map<string, bigint> {
  const rows = db
    .prepare(
      `SELECT currency,
              sum(CASE kind WHEN 'capture' THEN net_minor WHEN 'payout' THEN -gross_minor ELSE 0 END) AS opening
       FROM ledger_events WHERE inbox_id = @inbox AND at < @start GROUP BY currency`,
    )
    .safeIntegers(true)
    .all({ inbox: inboxId, start: period.start }) as Array<{ currency: string; opening: bigint | null }>;
  return new Map(rows.map((r) => [r.currency, r.opening ?? 0n]));
}

/** One keyset page of the period's ledger entries, oldest first, for the CSV export. */
export function exportPage(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  after: ExportCursor | null,
  limit = EXPORT_PAGE_ROWS,
): { entries: CsvEntry[]; positions: ExportCursor[]; next: ExportCursor | null } {
  const rows = db
    .prepare(
      `SELECT l.rowid AS rowid, l.id, l.kind, l.at, l.message_id, l.fan_id, l.currency,
              l.gross_minor, l.fee_minor, l.net_minor,
              coalesce(f.display_name, m.fan_name) AS fan_name
       FROM ledger_events l
       LEFT JOIN fans f ON f.inbox_id = l.inbox_id AND f.id = l.fan_id
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
  const positions = rows.map((r) => ({ at: r.at, rowid: r.rowid }));
  const last = positions.at(-1);
  return { entries, positions, next: rows.length === limit && last ? last : null };
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
