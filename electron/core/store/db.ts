import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CoreError, isSqliteCorruption } from '../errors';
import { migrate } from './migrations';
import { normalizeSearchText } from './search-text';

export interface OpenOptions {
  /** How long a write waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

export interface SalvagedOutboxRow {
  id: string;
  inbox_id: string;
  message_id: string | null;
  kind: string;
  payload: string;
  created_at: number;
  send_after: number;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Set when the file was damaged and moved aside; the new database starts empty. */
  repaired: { movedTo: string; salvaged: SalvagedOutboxRow[] } | null;
}

const DEFAULT_BUSY_TIMEOUT_MS = 500;

/** Pragmas and functions every connection to an account database needs. */
export function configureConnection(db: Database.Database, options: OpenOptions = {}): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // The cache is re-syncable, so NORMAL; money-bearing outbox writes switch to FULL.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.function('search_norm', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? normalizeSearchText(value) : value,
  );
}

function openChecked(path: string, options: OpenOptions): Database.Database {
  const db = new Database(path);
  try {
    configureConnection(db, options);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Reads whatever unsent outbox rows can still be read from a damaged file, row by row. */
function salvageOutbox(path: string): SalvagedOutboxRow[] {
  const rows: SalvagedOutboxRow[] = [];
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const positions = db.prepare('SELECT position FROM outbox ORDER BY position').pluck().all() as number[];
    const one = db.prepare(
      'SELECT id, inbox_id, message_id, kind, payload, created_at, send_after FROM outbox WHERE position = ?',
    );
    for (const position of positions) {
      try {
        const row = one.get(position) as SalvagedOutboxRow | undefined;
        if (row && typeof row.id === 'string' && typeof row.payload === 'string') rows.push(row);
      } catch {
        // An unreadable row is lost; the rest are still worth keeping.
      }
    }
  } catch {
    // The outbox itself is unreadable: nothing to keep.
  } finally {
    db?.close();
  }
  return rows;
}

function moveAside(path: string, stamp: number): string {
  const target = `${path}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Opens (creating if needed) an account database: WAL, foreign keys, integrity checked
 * with quick_check, migrated. A damaged file is moved aside with its readable unsent
 * outbox rows kept, and a fresh database is created to be rebuilt from the platform.
 */
export function openAccountDatabase(path: string, options: OpenOptions = {}, now = Date.now()): OpenedDatabase {
  try {
    return { db: openChecked(path, options), repaired: null };
  } catch (error) {
    if (!isSqliteCorruption(error)) {
      if (error instanceof CoreError) throw error;
      throw error;
    }
  }
  const salvaged = salvageOutbox(path);
  const movedTo = moveAside(path, now);
  const db = openChecked(path, options);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after)
     VALUES (@id, @inbox_id, @message_id, @kind, @payload, @created_at, @send_after)`,
  );
  db.transaction(() => {
    for (const row of salvaged) insert.run(row);
  })();
  return { db, repaired: { movedTo, salvaged } };
}
