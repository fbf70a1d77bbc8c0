import type Database from 'better-sqlite3';
import { stmt } from '../store/statements';
import { registerEarningsFunctions } from './schema';
import { monthStart, zoneFor } from './zone';

/**
 * Keeps the earnings cache up to date with ledger_events. The ledger is append-only, so
 * each derived table remembers the last ledger rowid it has read and folds in only what
 * came after: a handful of rows per query in steady state, the whole ledger once after a
 * bootstrap. Each step folds one rowid range with set-based SQL (GROUP BY in SQLite, no
 * per-row round trips to JavaScript) and the steps yield to the event loop in between,
 * so a million entries never block the thread that answers the interface for long.
 */
export const FOLD_RANGE = 20_000;

function watermark(db: Database.Database, scope: string): number {
  const row = stmt(db, 'SELECT folded_rowid FROM earnings_fold_state WHERE scope = ?').get(scope) as
    | { folded_rowid: number }
    | undefined;
  return row?.folded_rowid ?? 0;
}

/** The last ledger row stored (0: none): what folding catches up to. */
function ledgerEnd(db: Database.Database): number {
  return (stmt(db, 'SELECT max(rowid) FROM ledger_events').pluck().get() as number | null) ?? 0;
}

function setWatermark(db: Database.Database, scope: string, rowid: number): void {
  stmt(
    db,
    `INSERT INTO earnings_fold_state (scope, folded_rowid) VALUES (?, ?)
     ON CONFLICT (scope) DO UPDATE SET folded_rowid = excluded.folded_rowid`,
  ).run(scope, rowid);
}

// A message's hold and its settlement may fall in different ranges: each range's
// aggregate merges into the row with coalesce, whichever came first.
const HELD = 'coalesce(excluded.held_at, held_at)';
const SETTLED = 'coalesce(excluded.settled_at, settled_at)';
const DECIDED = `coalesce(excluded.settle_kind, settle_kind) IN ('capture', 'refund') AND ${HELD} <= ${SETTLED}`;

const FOLD_MESSAGES = `
  INSERT INTO earnings_messages
    (message_id, inbox_id, currency, gross, net, held_at, settled_at, settle_kind, duration_ms, bucket, deadline)
  SELECT message_id, inbox_id, currency, gross, net, held_at, settled_at, settle_kind,
    CASE WHEN settle_kind IN ('capture', 'refund') AND held_at <= settled_at THEN settled_at - held_at END,
    CASE WHEN settle_kind IN ('capture', 'refund') AND held_at <= settled_at
         THEN earnings_bucket(settled_at - held_at) END,
    -- A message's deadline never changes once written; only held payments need it.
    CASE WHEN settled_at IS NULL THEN (SELECT m.deadline FROM messages m WHERE m.id = message_id) END
  FROM (
    SELECT message_id, inbox_id, currency,
      coalesce(max(CASE WHEN kind <> 'hold' THEN gross_minor END), max(gross_minor)) AS gross,
      coalesce(max(CASE WHEN kind <> 'hold' THEN net_minor END), 0) AS net,
      max(CASE WHEN kind = 'hold' THEN at END) AS held_at,
      max(CASE WHEN kind <> 'hold' THEN at END) AS settled_at,
      max(CASE WHEN kind <> 'hold' THEN kind END) AS settle_kind
    FROM ledger_events
    WHERE rowid > @from AND rowid <= @to AND message_id IS NOT NULL
      AND kind IN ('hold', 'capture', 'refund', 'expire')
    GROUP BY message_id
  ) WHERE true
  ON CONFLICT (message_id) DO UPDATE SET
    gross = CASE WHEN excluded.settle_kind IS NOT NULL OR settle_kind IS NULL THEN excluded.gross ELSE gross END,
    net = CASE WHEN excluded.settle_kind IS NOT NULL THEN excluded.net ELSE net END,
    duration_ms = CASE WHEN ${DECIDED} THEN ${SETTLED} - ${HELD} END,
    bucket = CASE WHEN ${DECIDED} THEN earnings_bucket(${SETTLED} - ${HELD}) END,
    deadline = coalesce(deadline, excluded.deadline),
    held_at = ${HELD},
    settled_at = ${SETTLED},
    settle_kind = coalesce(excluded.settle_kind, settle_kind)`;

/**
 * The held totals (earnings_held) follow the facts: the held payments among a range's
 * messages are taken out before the range is folded (sign -1) and put back after it
 * (sign +1), so a hold adds, its settlement removes, and a repeat changes nothing.
 */
const heldDelta = (sign: 1 | -1) => `
  INSERT INTO earnings_held (inbox_id, currency, count, gross)
  SELECT inbox_id, currency, ${sign} * count(*), ${sign} * sum(gross) FROM earnings_messages
  WHERE message_id IN (
      SELECT message_id FROM ledger_events
      WHERE rowid > @from AND rowid <= @to AND message_id IS NOT NULL AND kind IN ('hold', 'capture', 'refund', 'expire'))
    AND settled_at IS NULL AND held_at IS NOT NULL
  GROUP BY inbox_id, currency
  ON CONFLICT (inbox_id, currency) DO UPDATE SET count = count + excluded.count, gross = gross + excluded.gross`;
const HELD_OUT = heldDelta(-1);
const HELD_IN = heldDelta(1);

const FOLD_PAYOUTS = `
  INSERT INTO earnings_payouts (id, inbox_id, currency, amount, at, actor_id)
  SELECT id, inbox_id, currency, gross_minor, at, actor_id FROM ledger_events
  WHERE rowid > @from AND rowid <= @to AND kind = 'payout'
  ON CONFLICT (id) DO NOTHING`;

/**
 * Day and month rollups of one range. The range is first aggregated per local day into
 * temporary tables (one zone lookup per entry), then added to the day tables and, grouped
 * by month, to the month tables: each upsert adds to what is already there.
 */
const FOLD_DAYS = [
  'CREATE TEMP TABLE IF NOT EXISTS earnings_range_totals (inbox_id, day, currency, kind, count, gross, fee, net)',
  'CREATE TEMP TABLE IF NOT EXISTS earnings_range_decisions (inbox_id, day, currency, bucket, count)',
  'CREATE TEMP TABLE IF NOT EXISTS earnings_range_fans (inbox_id, day, currency, fan_id, count, gross)',
  `INSERT INTO temp.earnings_range_totals
   SELECT inbox_id, earnings_local_day(at, @tz) AS d, currency, kind, count(*), sum(gross_minor), sum(fee_minor),
          sum(net_minor)
   FROM ledger_events WHERE rowid > @from AND rowid <= @to GROUP BY inbox_id, d, currency, kind`,
  `INSERT INTO temp.earnings_range_decisions
   SELECT l.inbox_id, earnings_local_day(l.at, @tz) AS d, l.currency, em.bucket, count(*)
   FROM ledger_events l CROSS JOIN earnings_messages em ON em.message_id = l.message_id
   WHERE l.rowid > @from AND l.rowid <= @to AND l.kind IN ('capture', 'refund') AND em.bucket IS NOT NULL
   GROUP BY l.inbox_id, d, l.currency, em.bucket`,
  `INSERT INTO temp.earnings_range_fans
   SELECT inbox_id, earnings_local_day(at, @tz) AS d, currency, fan_id, count(*), sum(gross_minor)
   FROM ledger_events
   WHERE rowid > @from AND rowid <= @to AND kind = 'capture' AND fan_id IS NOT NULL
   GROUP BY inbox_id, d, currency, fan_id`,
  ...(['day', 'month'] as const).flatMap((unit) => {
    const key = unit === 'day' ? 'day' : 'earnings_month_of(day)';
    return [
      `INSERT INTO earnings_${unit}_rollup (inbox_id, time_zone, ${unit}, currency, kind, count, gross, fee, net)
       SELECT inbox_id, @tz, ${key} AS u, currency, kind, sum(count), sum(gross), sum(fee), sum(net)
       FROM temp.earnings_range_totals WHERE true GROUP BY inbox_id, u, currency, kind
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, kind) DO UPDATE SET
         count = count + excluded.count, gross = gross + excluded.gross,
         fee = fee + excluded.fee, net = net + excluded.net`,
      `INSERT INTO earnings_${unit}_decisions (inbox_id, time_zone, ${unit}, currency, bucket, count)
       SELECT inbox_id, @tz, ${key} AS u, currency, bucket, sum(count)
       FROM temp.earnings_range_decisions WHERE true GROUP BY inbox_id, u, currency, bucket
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, bucket) DO UPDATE SET count = count + excluded.count`,
      `INSERT INTO earnings_${unit}_fans (inbox_id, time_zone, ${unit}, currency, fan_id, count, gross)
       SELECT inbox_id, @tz, ${key} AS u, currency, fan_id, sum(count), sum(gross)
       FROM temp.earnings_range_fans WHERE true GROUP BY inbox_id, u, currency, fan_id
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, fan_id) DO UPDATE SET
         count = count + excluded.count, gross = gross + excluded.gross`,
    ];
  }),
  'DELETE FROM temp.earnings_range_totals',
  'DELETE FROM temp.earnings_range_decisions',
  'DELETE FROM temp.earnings_range_fans',
];

const registered = new WeakSet<Database.Database>();

/** The zone arithmetic of zone.ts, callable from SQL (deterministic for a given zone name). */
function registerZoneFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('earnings_local_day', { deterministic: true }, (at: unknown, tz: unknown) =>
    zoneFor(String(tz)).localDay(Number(at)),
  );
  db.function('earnings_month_of', { deterministic: true }, (day: unknown) => monthStart(Number(day)));
  registered.add(db);
}

/**
 * One step of folding, in one transaction: the facts of the next `range` ledger rows; once
 * they have reached the end of the ledger, the day rollups of `timeZone` for up to `range`
 * rows (they read decision buckets from the facts, so they wait for all of them, as
 * before). A sync folds after every chunk it applies, a range's worth: its facts and its
 * days now share one commit instead of taking one each. True while either is behind.
 */
export function foldStep(db: Database.Database, timeZone: string, range = FOLD_RANGE): boolean {
  registerEarningsFunctions(db);
  registerZoneFunctions(db);
  const upTo = ledgerEnd(db);
  return db.transaction(() => {
    const factsFrom = watermark(db, 'facts');
    if (factsFrom < upTo) {
      const to = Math.min(upTo, factsFrom + range);
      const params = { from: factsFrom, to };
      stmt(db, HELD_OUT).run(params);
      stmt(db, FOLD_MESSAGES).run(params);
      stmt(db, HELD_IN).run(params);
      stmt(db, FOLD_PAYOUTS).run(params);
      setWatermark(db, 'facts', to);
      if (to < upTo) return true;
    }
    const scope = `days:${timeZone}`;
    const daysFrom = watermark(db, scope);
    if (daysFrom >= upTo) return false;
    const to = Math.min(upTo, daysFrom + range);
    const params = { from: daysFrom, to, tz: timeZone };
    for (const sql of FOLD_DAYS) {
      const statement = stmt(db, sql);
      // Each statement names only the parameters it uses.
      statement.run(Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`@${name}`))));
    }
    setWatermark(db, scope, to);
    return to < upTo;
  })();
}

/**
 * Ledger rows not folded yet: into the facts, and with `timeZone` also into that zone's
 * day totals. Zero: an earnings visit has nothing to fold first.
 */
export function unfoldedLedgerRows(db: Database.Database, timeZone?: string): number {
  const upTo = ledgerEnd(db);
  const facts = watermark(db, 'facts');
  const folded = timeZone === undefined ? facts : Math.min(facts, watermark(db, `days:${timeZone}`));
  return Math.max(0, upTo - folded);
}

/** Page cache while folding: the upserts touch the whole earnings_messages tree. */
const FOLD_CACHE_KIB = 32 * 1024;

/**
 * Runs fold steps with a larger page cache (the connection's default of 2 MB makes a
 * bootstrap-sized fold reread the same pages from the OS again and again), restoring
 * the connection's own setting afterwards.
 */
async function foldAll(db: Database.Database, timeZone: string, range: number): Promise<void> {
  const own = db.pragma('cache_size', { simple: true }) as number;
  let widened = false;
  try {
    while (foldStep(db, timeZone, range)) {
      if (!widened) {
        db.pragma(`cache_size = -${FOLD_CACHE_KIB}`);
        widened = true;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (widened) db.pragma(`cache_size = ${own}`);
  }
}

const running = new WeakMap<Database.Database, Promise<void>>();

/**
 * Brings the cache up to date for `timeZone`, one step (`range` ledger rows) per turn of
 * the event loop. Calls on the same database queue behind each other, so no row is folded
 * twice. A sync folding as it goes asks for small steps: each is a pause of the thread.
 */
export function refreshEarnings(db: Database.Database, timeZone: string, range = FOLD_RANGE): Promise<void> {
  zoneFor(timeZone); // refuse an unknown zone before writing anything
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => foldAll(db, timeZone, range));
  running.set(db, next);
  return next;
}
