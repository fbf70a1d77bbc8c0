import type Database from 'better-sqlite3';
import { stmt } from './statements';

/**
 * Full-text search over message bodies and fan names (FTS5, external content).
 *
 * The index reads its content through `message_search_source`, a view that runs both
 * columns through `search_norm` (search-text.ts, registered on every connection), so the
 * index holds normalised text without storing a second copy of every body.
 *
 * Two modes (fts_state.live):
 * - live: triggers keep the index in step with every insert/update;
 * - deferred (bootstrap): triggers are dropped, rows are inserted bare, and
 *   `indexNextChunk` feeds the index in small chunks (rowid > indexed_upto, each entry
 *   under the message's search key, search-key.ts) so no single
 *   step blocks the event loop for long. Once caught up and no bootstrap is running,
 *   the triggers come back in the same transaction as the last chunk.
 * The mode lives in the database, so a crash mid-bootstrap resumes where it stopped.
 */

/**
 * The live triggers, indexing each message under `key`: its rowid as schema version 2 made
 * them (FTS_SCHEMA, kept as it was), its search key since 13 (search-key.ts): search walks
 * the index in that order, the messages' own whichever way they arrived.
 */
const triggers = (key: 'rowid' | 'search_key') => [
  `CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
     INSERT INTO messages_fts(rowid, body, fan_name) VALUES (new.${key}, search_norm(new.body), search_norm(new.fan_name));
   END`,
  `CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF body, fan_name ON messages BEGIN
     INSERT INTO messages_fts(messages_fts, rowid, body, fan_name)
       VALUES ('delete', old.${key}, search_norm(old.body), search_norm(old.fan_name));
     INSERT INTO messages_fts(rowid, body, fan_name) VALUES (new.${key}, search_norm(new.body), search_norm(new.fan_name));
   END`,
];
const TRIGGERS = triggers('search_key');

/**
 * Schema version 13: messages get their search key, and the index is rebuilt on it. Rows
 * waiting for the deferred indexer are indexed by the rebuild, so the indexer has none left.
 */
export const FTS_BY_SEARCH_KEY = [
  'DROP TRIGGER IF EXISTS messages_fts_insert',
  'DROP TRIGGER IF EXISTS messages_fts_update',
  'DROP VIEW message_search_source',
  `CREATE VIEW message_search_source AS
     SELECT search_key AS rowid, search_norm(body) AS body, search_norm(fan_name) AS fan_name FROM messages`,
  "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
  'UPDATE fts_state SET indexed_upto = (SELECT coalesce(max(rowid), 0) FROM messages)',
];

/** Restores the live triggers (after a migration, or when the deferred indexer catches up). */
export function restoreFtsTriggers(db: Database.Database): void {
  for (const sql of TRIGGERS) db.exec(sql);
}

/** Schema version 2, as it was (a migration never changes): see FTS_BY_SEARCH_KEY for 13. */
export const FTS_SCHEMA = [
  `CREATE VIEW message_search_source AS
     SELECT rowid AS rowid, search_norm(body) AS body, search_norm(fan_name) AS fan_name FROM messages`,
  `CREATE VIRTUAL TABLE messages_fts USING fts5(
     body, fan_name, content='message_search_source', content_rowid='rowid',
     tokenize='unicode61 remove_diacritics 2')`,
  `CREATE TABLE fts_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     live INTEGER NOT NULL,
     indexed_upto INTEGER NOT NULL
   )`,
  'INSERT INTO fts_state (id, live, indexed_upto) VALUES (1, 1, 0)',
  ...triggers('rowid'),
  // Messages stored before search existed are indexed once, here.
  "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
];

export function isFtsLive(db: Database.Database): boolean {
  const row = stmt(db, 'SELECT live FROM fts_state WHERE id = 1').get() as { live: number } | undefined;
  return row?.live === 1;
}

/** Call inside the bootstrap's first page transaction: rows inserted from now on wait for the indexer. */
export function deferFtsIndexing(db: Database.Database): void {
  if (!isFtsLive(db)) return;
  db.exec('DROP TRIGGER IF EXISTS messages_fts_insert; DROP TRIGGER IF EXISTS messages_fts_update;');
  const max = stmt(db, 'SELECT coalesce(max(rowid), 0) AS m FROM messages').get() as { m: number };
  stmt(db, 'UPDATE fts_state SET live = 0, indexed_upto = ? WHERE id = 1').run(max.m);
}

export const FTS_CHUNK_ROWS = 1_000;

/**
 * Indexes the next chunk of rows inserted while deferred. Returns true when the index has
 * caught up; with `canGoLive` it then restores the triggers in the same transaction.
 */
export function indexNextChunk(db: Database.Database, canGoLive: boolean, chunkRows = FTS_CHUNK_ROWS): boolean {
  return db.transaction(() => {
    const state = stmt(db, 'SELECT live, indexed_upto FROM fts_state WHERE id = 1').get() as {
      live: number;
      indexed_upto: number;
    };
    if (state.live === 1) return true;
    const chunk = db
      .prepare(
        `SELECT coalesce(max(rowid), ?) AS upto, count(*) AS n
           FROM (SELECT rowid FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
      )
      .get(state.indexed_upto, state.indexed_upto, chunkRows) as { upto: number; n: number };
    if (chunk.n > 0) {
      stmt(
        db,
        `INSERT INTO messages_fts(rowid, body, fan_name)
           SELECT search_key, search_norm(body), search_norm(fan_name) FROM messages WHERE rowid > ? AND rowid <= ?
           ORDER BY search_key`,
      ).run(state.indexed_upto, chunk.upto);
      stmt(db, 'UPDATE fts_state SET indexed_upto = ? WHERE id = 1').run(chunk.upto);
    }
    const caughtUp = chunk.n < chunkRows;
    if (caughtUp && canGoLive) {
      restoreFtsTriggers(db);
      stmt(db, 'UPDATE fts_state SET live = 1 WHERE id = 1').run();
    }
    return caughtUp;
  })();
}

/** Rebuilds the whole index from the content (repair, or tests). */
export function rebuildFts(db: Database.Database): void {
  db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')");
}
