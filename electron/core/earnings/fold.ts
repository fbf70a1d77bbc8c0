import type Database from 'better-sqlite3';
import { ensureEarningsSchema } from './schema';
import { monthStart, zoneFor } from './zone';

/**
 * Keeps the earnings cache up to date with ledger_events. The ledger is append-only, so
 * each derived table remembers the last ledger rowid it has read and folds in only what
 * came after: a handful of rows per query in steady state, the whole ledger once after a
 * bootstrap. That first fold runs in batches with a pause between them, so a million
 * entries never block the thread that answers the interface for more than one batch.
 */
export const FOLD_BATCH = 2_000;

interface LedgerRow {
  rowid: number;
  fan_id?: string | null;
  id?: string;
  actor_id?: string | null;
  inbox_id: string;
  kind: string;
  message_id: string | null;
  currency: string;
  gross_minor: number;
  fee_minor: number;
  net_minor: number;
  at: number;
  bucket: number | null;
}

function watermark(db: Database.Database, scope: string): number {
  const row = db.prepare('SELECT folded_rowid FROM earnings_fold_state WHERE scope = ?').get(scope) as
    | { folded_rowid: number }
    | undefined;
  return row?.folded_rowid ?? 0;
}

function setWatermark(db: Database.Database, scope: string, rowid: number): void {
  db.prepare(
    `INSERT INTO earnings_fold_state (scope, folded_rowid) VALUES (?, ?)
     ON CONFLICT (scope) DO UPDATE SET folded_rowid = excluded.folded_rowid`,
  ).run(scope, rowid);
}

/** Folds up to `limit` ledger rows into earnings_messages; returns how many it read. */
function foldFacts(db: Database.Database, upTo: number, limit: number): number {
  const from = watermark(db, 'facts');
  if (from >= upTo) return 0;
  const rows = db
    .prepare(
      `SELECT rowid, id, inbox_id, kind, message_id, currency, gross_minor, net_minor, at, actor_id FROM ledger_events
       WHERE rowid > ? AND rowid <= ? AND (message_id IS NOT NULL OR kind = 'payout') ORDER BY rowid LIMIT ?`,
    )
    .all(from, upTo, limit) as LedgerRow[];
  const hold = db.prepare(
    `INSERT INTO earnings_messages (message_id, inbox_id, currency, gross, held_at)
     VALUES (@message_id, @inbox_id, @currency, @gross_minor, @at)
     ON CONFLICT (message_id) DO UPDATE SET
       held_at = excluded.held_at, gross = excluded.gross,
       duration_ms = CASE WHEN settle_kind IN ('capture', 'refund') AND excluded.held_at <= settled_at
                          THEN settled_at - excluded.held_at END,
       bucket = CASE WHEN settle_kind IN ('capture', 'refund') AND excluded.held_at <= settled_at
                     THEN earnings_bucket(settled_at - excluded.held_at) END`,
  );
  const settle = db.prepare(
    `INSERT INTO earnings_messages (message_id, inbox_id, currency, gross, net, settled_at, settle_kind)
     VALUES (@message_id, @inbox_id, @currency, @gross_minor, @net_minor, @at, @kind)
     ON CONFLICT (message_id) DO UPDATE SET
       settled_at = excluded.settled_at, settle_kind = excluded.settle_kind,
       gross = excluded.gross, net = excluded.net,
       duration_ms = CASE WHEN excluded.settle_kind IN ('capture', 'refund') AND held_at <= excluded.settled_at
                          THEN excluded.settled_at - held_at END,
       bucket = CASE WHEN excluded.settle_kind IN ('capture', 'refund') AND held_at <= excluded.settled_at
                     THEN earnings_bucket(excluded.settled_at - held_at) END`,
  );
  const payout = db.prepare(
    `INSERT INTO earnings_payouts (id, inbox_id, currency, amount, at, actor_id)
     VALUES (@id, @inbox_id, @currency, @gross_minor, @at, @actor_id) ON CONFLICT (id) DO NOTHING`,
  );
  for (const row of rows) {
    if (row.kind === 'payout') payout.run(row);
    else if (!row.message_id) continue;
    else if (row.kind === 'hold') hold.run(row);
    else if (row.kind === 'capture' || row.kind === 'refund' || row.kind === 'expire') settle.run(row);
  }
  // A batch shorter than the limit reached `upTo`; rows the query skips (none of them
  // concern a message or a payout) are jumped over by the watermark too.
  setWatermark(db, 'facts', rows.length < limit ? upTo : (rows.at(-1)?.rowid ?? upTo));
  return rows.length;
}

/** Folds up to `limit` ledger rows into the day rollups of one zone. */
function foldDays(db: Database.Database, timeZone: string, upTo: number, limit: number): number {
  const scope = `days:${timeZone}`;
  const from = watermark(db, scope);
  if (from >= upTo) return 0;
  const zone = zoneFor(timeZone);
  const rows = db
    .prepare(
      `SELECT l.rowid, l.inbox_id, l.kind, l.fan_id, l.currency, l.gross_minor, l.fee_minor, l.net_minor, l.at,
              CASE WHEN l.kind IN ('capture', 'refund') THEN em.bucket END AS bucket
       FROM ledger_events l LEFT JOIN earnings_messages em ON em.message_id = l.message_id
       WHERE l.rowid > ? AND l.rowid <= ? ORDER BY l.rowid LIMIT ?`,
    )
    .all(from, upTo, limit) as LedgerRow[];
  // Aggregate the batch first: a thousand entries of one day become one upsert.
  const totals = new Map<
    string,
    { row: LedgerRow; day: number; count: number; gross: bigint; fee: bigint; net: bigint }
  >();
  const decisions = new Map<string, { row: LedgerRow; day: number; count: number }>();
  const fans = new Map<string, { row: LedgerRow; day: number; count: number; gross: bigint }>();
  for (const row of rows) {
    const day = zone.localDay(row.at);
    const key = `${row.inbox_id}\u0000${day}\u0000${row.currency}\u0000${row.kind}`;
    const total = totals.get(key) ?? { row, day, count: 0, gross: 0n, fee: 0n, net: 0n };
    total.count += 1;
    total.gross += BigInt(row.gross_minor);
    total.fee += BigInt(row.fee_minor);
    total.net += BigInt(row.net_minor);
    totals.set(key, total);
    if (row.kind === 'capture' && row.fan_id) {
      const fkey = `${row.inbox_id}\u0000${day}\u0000${row.currency}\u0000${row.fan_id}`;
      const fan = fans.get(fkey) ?? { row, day, count: 0, gross: 0n };
      fan.count += 1;
      fan.gross += BigInt(row.gross_minor);
      fans.set(fkey, fan);
    }
    if (row.bucket !== null) {
      const dkey = `${row.inbox_id}\u0000${day}\u0000${row.currency}\u0000${row.bucket}`;
      const decision = decisions.get(dkey) ?? { row, day, count: 0 };
      decision.count += 1;
      decisions.set(dkey, decision);
    }
  }
  for (const table of ['earnings_day_rollup', 'earnings_month_rollup']) {
    const unit = table === 'earnings_day_rollup' ? 'day' : 'month';
    const add = db.prepare(
      `INSERT INTO ${table} (inbox_id, time_zone, ${unit}, currency, kind, count, gross, fee, net)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, kind) DO UPDATE SET
         count = count + excluded.count, gross = gross + excluded.gross,
         fee = fee + excluded.fee, net = net + excluded.net`,
    );
    for (const { row, day, count, gross, fee, net } of totals.values()) {
      add.run(
        row.inbox_id,
        timeZone,
        unit === 'day' ? day : monthStart(day),
        row.currency,
        row.kind,
        count,
        gross,
        fee,
        net,
      );
    }
  }
  for (const table of ['earnings_day_decisions', 'earnings_month_decisions']) {
    const unit = table === 'earnings_day_decisions' ? 'day' : 'month';
    const add = db.prepare(
      `INSERT INTO ${table} (inbox_id, time_zone, ${unit}, currency, bucket, count)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, bucket) DO UPDATE SET count = count + excluded.count`,
    );
    for (const { row, day, count } of decisions.values()) {
      add.run(row.inbox_id, timeZone, unit === 'day' ? day : monthStart(day), row.currency, row.bucket, count);
    }
  }
  for (const table of ['earnings_day_fans', 'earnings_month_fans']) {
    const unit = table === 'earnings_day_fans' ? 'day' : 'month';
    const add = db.prepare(
      `INSERT INTO ${table} (inbox_id, time_zone, ${unit}, currency, fan_id, count, gross)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (inbox_id, time_zone, ${unit}, currency, fan_id) DO UPDATE SET
         count = count + excluded.count, gross = gross + excluded.gross`,
    );
    for (const { row, day, count, gross } of fans.values()) {
      add.run(row.inbox_id, timeZone, unit === 'day' ? day : monthStart(day), row.currency, row.fan_id, count, gross);
    }
  }
  setWatermark(db, scope, rows.length < limit ? upTo : (rows.at(-1)?.rowid ?? upTo));
  return rows.length;
}

/** One batch of folding (facts first: the day rollups read decision buckets from them). */
export function foldStep(db: Database.Database, timeZone: string, limit = FOLD_BATCH): boolean {
  ensureEarningsSchema(db);
  const upTo = (db.prepare('SELECT max(rowid) FROM ledger_events').pluck().get() as number | null) ?? 0;
  return db.transaction(() => {
    if (foldFacts(db, upTo, limit) > 0) return true;
    return foldDays(db, timeZone, upTo, limit) > 0 || watermark(db, `days:${timeZone}`) < upTo;
  })();
}

/** Page cache while folding: the upserts touch the whole earnings_messages tree. */
const FOLD_CACHE_KIB = 32 * 1024;

/**
 * Runs fold steps with a larger page cache (the connection's default of 2 MB makes a
 * bootstrap-sized fold reread the same pages from the OS again and again), restoring
 * the connection's own setting afterwards.
 */
async function foldAll(db: Database.Database, timeZone: string): Promise<void> {
  const own = db.pragma('cache_size', { simple: true }) as number;
  let widened = false;
  try {
    while (foldStep(db, timeZone)) {
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
 * Brings the cache up to date for `timeZone`, one batch per turn of the event loop.
 * Calls on the same database queue behind each other, so no row is folded twice.
 */
export function refreshEarnings(db: Database.Database, timeZone: string): Promise<void> {
  zoneFor(timeZone); // refuse an unknown zone before writing anything
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => foldAll(db, timeZone));
  running.set(db, next);
  return next;
}
