import type Database from 'better-sqlite3';

/*
 * The earnings cache tables are the core's migration 7 (store/migrations.ts): per-message
 * facts (held = settled_at IS NULL), day and month totals per time zone, decision-time
 * buckets (the median walks one bucket in duration order), payouts and per-fan totals.
 * All of it is folded from ledger_events and can be dropped and refolded at any time.
 */

/**
 * Decision times are grouped in buckets of about 9 % width (8 per doubling), so the
 * bucket holding the median is a small slice of the period's decisions.
 */
export function durationBucket(durationMs: number): number {
  if (durationMs < 1_000) return 0;
  return 1 + Math.floor(Math.log2(durationMs / 1_000) * 8);
}

const ready = new WeakSet<Database.Database>();

/** The SQL functions the folds call, registered once per connection. */
export function registerEarningsFunctions(db: Database.Database): void {
  if (ready.has(db)) return;
  db.function('earnings_bucket', { deterministic: true }, (value: unknown) =>
    typeof value === 'number' || typeof value === 'bigint' ? durationBucket(Number(value)) : null,
  );
  ready.add(db);
}
