import type Database from 'better-sqlite3';
import { isFtsLive } from '../store/fts';
import { stmt } from '../store/statements';

/** Tables whose rows hang off a message rather than naming their inbox. */
const BY_MESSAGE = ['replies', 'notes', 'triage', 'message_labels'] as const;

/** Every table that names its inbox, including those other parts of the core add later (earnings). */
function tablesWithInboxId(db: Database.Database): string[] {
  const tables = stmt(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  return tables.filter((table) =>
    (db.pragma(`table_info(${JSON.stringify(table)})`) as Array<{ name: string }>).some((c) => c.name === 'inbox_id'),
  );
}

/**
 * Removes every local trace of one inbox (call inside a write transaction): its messages
 * and everything hanging off them, its search index entries, and every row of every table
 * keyed by the inbox. Used when access to the inbox ends.
 */
export function purgeInbox(db: Database.Database, inboxId: string): number {
  // External-content FTS must be told what goes (under each message's search key), while the rows can still be read; rows the
  // deferred indexer has not reached yet were never indexed and must not be "deleted".
  const indexedUpto = isFtsLive(db)
    ? Number.MAX_SAFE_INTEGER
    : (stmt(db, 'SELECT indexed_upto FROM fts_state WHERE id = 1').pluck().get() as number);
  stmt(
    db,
    `INSERT INTO messages_fts (messages_fts, rowid, body, fan_name)
     SELECT 'delete', search_key, search_norm(body), search_norm(fan_name) FROM messages WHERE inbox_id = ? AND rowid <= ?`,
  ).run(inboxId, indexedUpto);
  for (const table of BY_MESSAGE) {
    stmt(db, `DELETE FROM ${table} WHERE message_id IN (SELECT id FROM messages WHERE inbox_id = ?)`).run(inboxId);
  }
  const removed = stmt(db, 'SELECT count(*) FROM messages WHERE inbox_id = ?').pluck().get(inboxId) as number;
  for (const table of tablesWithInboxId(db)) {
    if (table === 'messages') continue;
    db.prepare(`DELETE FROM "${table}" WHERE inbox_id = ?`).run(inboxId);
  }
  stmt(db, 'DELETE FROM messages WHERE inbox_id = ?').run(inboxId);
  return removed;
}
