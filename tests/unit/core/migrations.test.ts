import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { configureConnection, openAccountDatabase } from '../../../electron/core/store/db';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { searchMessages } from '../../../electron/core/store/queries';
import { homeSearchKey } from '../../../electron/core/store/search-key';
import { tempStore } from '../../fixtures/core/store';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempPath(): string {
  const t = tempStore('unused.sqlite');
  cleanups.push(t.cleanup);
  return `${t.dir}/account.sqlite`;
}

/** The schema as SQLite stores it, for comparing an upgraded database with a fresh one. */
function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all() as Array<{ type: string; name: string; sql: string | null }>
  ).map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
}

/** Rows a user of schema version `v` could have, written with that version's columns. */
function seedAt(db: Database.Database, v: number): void {
  if (v < 1) return;
  // From version 13 the app writes each message with its search key, which is what the
  // search index is keyed by: a message written without one is never indexed.
  const searchKey = v >= 13 ? ', search_key' : '';
  db.prepare(
    `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor, net_minor,
       status, paid_at, deadline, seq${searchKey})
     VALUES ('m1', 'i1', 'f1', 'نور', 'مَرْحَباً بِكُمْ', 'USD', 1000, 1000, 100, 900, 'pending', 1, 2, 1${v >= 13 ? ', ?' : ''})`,
  ).run(...(v >= 13 ? [homeSearchKey(1, 'm1')] : []));
  db.prepare("INSERT INTO triage (message_id, starred, labels) VALUES ('m1', 1, '[\"vip\"]')").run();
  db.prepare(
    "INSERT INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after) VALUES ('a1', 'i1', 'm1', 'accept', '{\"kind\":\"accept\"}', 1, 1)",
  ).run();
  db.prepare("INSERT INTO notices (id, kind, code, text, at) VALUES ('n1', 'info', 'x', 'kept', 1)").run();
  db.prepare("INSERT INTO sync_state (inbox_id, cursor, head_seq, bootstrapped) VALUES ('i1', 7, 7, 1)").run();
}

describe('account database migrations', () => {
  it('numbers its steps 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  const fresh = () => {
    const db = new Database(':memory:');
    configureConnection(db);
    migrate(db);
    const schema = schemaOf(db);
    db.close();
    return schema;
  };

  for (let from = 0; from < LATEST_VERSION; from++) {
    it(`upgrades a database from version ${from} to ${LATEST_VERSION}, keeping its data`, () => {
      const path = tempPath();
      const old = new Database(path);
      configureConnection(old);
      migrate(old, from);
      expect(schemaVersion(old)).toBe(from);
      seedAt(old, from);
      old.close();

      const { db, repaired } = openAccountDatabase(path);
      try {
        expect(repaired).toBeNull();
        expect(schemaVersion(db)).toBe(LATEST_VERSION);
        expect(schemaOf(db)).toEqual(fresh());
        if (from >= 1) {
          expect(db.prepare('SELECT cursor FROM sync_state').pluck().get()).toBe(7);
          expect(db.prepare('SELECT kind FROM outbox').pluck().all()).toEqual(['accept']);
          expect(db.prepare('SELECT text FROM notices').pluck().all()).toEqual(['kept']);
          // Messages stored before search existed are searchable after the upgrade (tashkeel ignored).
          const found = searchMessages(
            db,
            { accountId: 'a', inboxId: null, text: 'مرحبا', cursor: null, limit: 10 },
            0,
          );
          expect(found.rows.map((r) => r.id)).toEqual(['m1']);
        }
      } finally {
        db.close();
      }
    });
  }

  /** A database a user of `version` has: the seed rows, one more message, and `more` statements. */
  function databaseAt(version: number, message: string, ...more: string[]): string {
    const path = tempPath();
    const old = new Database(path);
    configureConnection(old);
    migrate(old, version);
    seedAt(old, version);
    old
      .prepare(
        `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor,
           net_minor, status, paid_at, deadline, seq) VALUES ${message}`,
      )
      .run();
    for (const statement of more) old.prepare(statement).run();
    old.close();
    return path;
  }

  it('gives each inbox the fan a device kept once, at position 0 so its next change wins (version 12)', () => {
    const path = databaseAt(
      11,
      "('m2', 'i2', 'f1', 'نور', 'hi', 'USD', 1000, 1000, 100, 900, 'pending', 1, 2, 1)",
      "INSERT INTO fans (id, display_name, blocked, terms, seq) VALUES ('f1', 'نور', 1, NULL, 900)",
      "INSERT INTO fans (id, display_name, seq) VALUES ('f9', 'Nobody', 3)",
    );
    const { db } = openAccountDatabase(path);
    try {
      expect(db.prepare('SELECT inbox_id, id, display_name, blocked, seq FROM fans ORDER BY inbox_id').all()).toEqual([
        { inbox_id: 'i1', id: 'f1', display_name: 'نور', blocked: 1, seq: 0 },
        { inbox_id: 'i2', id: 'f1', display_name: 'نور', blocked: 1, seq: 0 },
      ]);
    } finally {
      db.close();
    }
  });

  it('reads messages synced before pricing (#18) with a zero price as free passes, the rest as paid', () => {
    const path = databaseAt(
      7,
      "('m0', 'i1', 'f2', 'Mum', 'hi', 'USD', 0, 1000, 0, 0, 'pending', 1, 2, 2)",
      "INSERT INTO fans (id, display_name, seq) VALUES ('f2', 'Mum', 1)",
    );
    const { db } = openAccountDatabase(path);
    try {
      expect(db.prepare('SELECT id, free FROM messages ORDER BY id').all()).toEqual([
        { id: 'm0', free: 1 },
        { id: 'm1', free: 0 },
      ]);
      expect(db.prepare('SELECT terms FROM fans').pluck().all()).toEqual([null]);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer app and leaves the file alone', () => {
    const path = tempPath();
    const newer = new Database(path);
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    expect(() => openAccountDatabase(path)).toThrow(/newer version/);
    expect(existsSync(path)).toBe(true);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    check.close();
  });
});
