import type Database from 'better-sqlite3';
import { stmt } from './statements';

/**
 * What this device holds of an inbox's money follows the member's `view_earnings` (#12):
 * the platform sends the fee split, the ledger and payouts only to who may view earnings,
 * so when the permission comes or goes the local copy must follow, not wait for each
 * message's next feed entry.
 */

/** Derived earnings tables (every one keyed by inbox), folded from `ledger_events`. */
function earningsTables(db: Database.Database): string[] {
  return stmt(
    db,
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'earnings\\_%' ESCAPE '\\'
       AND name <> 'earnings_fold_state'`,
  )
    .pluck()
    .all() as string[];
}

/**
 * Revoked: drops the inbox's fee splits, ledger and every figure folded from it (call
 * inside a write transaction). Other inboxes' figures stay.
 */
export function forgetEarnings(db: Database.Database, inboxId: string): void {
  stmt(db, 'UPDATE messages SET fee_bps = NULL, fee_minor = NULL, net_minor = NULL WHERE inbox_id = ?').run(inboxId);
  stmt(db, 'DELETE FROM ledger_events WHERE inbox_id = ?').run(inboxId);
  for (const table of earningsTables(db)) db.prepare(`DELETE FROM "${table}" WHERE inbox_id = ?`).run(inboxId);
  // Rowids freed at the top are handed out again: the fold must read those new rows, so
  // its marks come down to what is left (everything up to there was folded already).
  stmt(
    db,
    `UPDATE earnings_fold_state
     SET folded_rowid = min(folded_rowid, coalesce((SELECT max(rowid) FROM ledger_events), 0))`,
  ).run();
}

/**
 * Granted: the inbox is bootstrapped again from the platform's snapshot (call inside a
 * write transaction), which now carries the fee splits and the ledger. Everything else
 * it brings is already here and changes nothing (each entity keeps its highest seq);
 * the fee split of a message already held is filled in (`upsertMessage`).
 */
export function refetchForEarnings(db: Database.Database, inboxId: string): void {
  stmt(
    db,
    `UPDATE sync_state SET cursor = 0, bootstrapped = 0, snapshot_at = NULL, snapshot_resume = NULL,
       snapshot_done = 0, snapshot_total = 0
     WHERE inbox_id = ?`,
  ).run(inboxId);
}
