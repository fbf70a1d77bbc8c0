import type Database from 'better-sqlite3';
import { stmt } from './statements';

/**
 * A feed entry this build cannot apply: kept with its raw text so that a later version
 * of the app can try it again, and never allowed to hold back the entries after it.
 */
export interface SetAsideEntry {
  /** null when even its sequence number is unreadable. */
  seq: number | null;
  raw: string;
  reason: string;
}

/**
 * Feed entries this build could not apply. They are kept (raw, with the reason and the
 * version of the app that last tried them) so that the next version can try them again,
 * counted in the sync status, and announced by a notice; the cursor moves past them so
 * that they never hold back the entries after them.
 */
export function storeSetAside(
  db: Database.Database,
  inboxId: string,
  entries: readonly SetAsideEntry[],
  appVersion: string,
  now: number,
): number {
  // The same entry read again (a page fetched twice) is kept once.
  const insert = stmt(
    db,
    `INSERT OR IGNORE INTO set_aside_entries (inbox_id, seq, raw, reason, app_version, at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const entry of entries) insert.run(inboxId, entry.seq, entry.raw, entry.reason, appVersion, now);
  return entries.length;
}

export function countSetAside(db: Database.Database): number {
  return stmt(db, 'SELECT count(*) FROM set_aside_entries').pluck().get() as number;
}

export interface StoredSetAside {
  id: number;
  seq: number | null;
  raw: string;
}

/** Entries last tried by another version of the app, oldest first (a message before its triage). */
export function setAsideToRetry(db: Database.Database, inboxId: string, appVersion: string): StoredSetAside[] {
  return stmt(
    db,
    `SELECT id, seq, raw FROM set_aside_entries WHERE inbox_id = ? AND app_version <> ?
     ORDER BY seq IS NULL, seq, id`,
  ).all(inboxId, appVersion) as StoredSetAside[];
}

export function forgetSetAside(db: Database.Database, id: number): void {
  stmt(db, 'DELETE FROM set_aside_entries WHERE id = ?').run(id);
}

/** Still unreadable by this version: wait for the next one. */
export function markSetAsideTried(
  db: Database.Database,
  id: number,
  reason: string,
  appVersion: string,
  now: number,
): void {
  stmt(db, 'UPDATE set_aside_entries SET reason = ?, app_version = ?, at = ? WHERE id = ?').run(
    reason,
    appVersion,
    now,
    id,
  );
}
