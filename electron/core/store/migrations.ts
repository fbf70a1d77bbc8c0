import type Database from 'better-sqlite3';
import { CoreError } from '../errors';
import { FTS_BY_SEARCH_KEY, FTS_SCHEMA, isFtsLive, restoreFtsTriggers } from './fts';
import { assignSearchKeys } from './search-key';

/**
 * The account database's schema history: numbered, forward-only, on `user_version`.
 * Never edit a shipped step; add the next one. tests/unit/core/migrations.test.ts upgrades
 * a database from every earlier version and compares it with a fresh one.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

const sql =
  (...statements: string[]) =>
  (db: Database.Database) => {
    for (const statement of statements) db.exec(statement);
  };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'entities from the change feed, triage, sync state, outbox and notices',
    up: sql(
      'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      `CREATE TABLE sync_state (
         inbox_id TEXT PRIMARY KEY,
         cursor INTEGER NOT NULL DEFAULT 0,
         head_seq INTEGER NOT NULL DEFAULT 0,
         bootstrapped INTEGER NOT NULL DEFAULT 0,
         last_sync_at INTEGER
       )`,
      `CREATE TABLE messages (
         id TEXT PRIMARY KEY,
         inbox_id TEXT NOT NULL,
         fan_id TEXT NOT NULL,
         fan_name TEXT NOT NULL,
         body TEXT NOT NULL,
         currency TEXT NOT NULL,
         price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
         fee_bps INTEGER NOT NULL,
         fee_minor INTEGER NOT NULL,
         net_minor INTEGER NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'refunded', 'expired')),
         paid_at INTEGER NOT NULL,
         deadline INTEGER NOT NULL,
         decided_at INTEGER,
         decided_by_id TEXT,
         decided_by_name TEXT,
         refund_reason TEXT,
         note_to_fan TEXT,
         seq INTEGER NOT NULL,
         CHECK (fee_minor + net_minor = price_minor)
       )`,
      'CREATE INDEX messages_by_fan ON messages (fan_id)',
      `CREATE TABLE fans (
         id TEXT PRIMARY KEY,
         display_name TEXT NOT NULL,
         blocked INTEGER NOT NULL DEFAULT 0,
         seq INTEGER NOT NULL
       )`,
      `CREATE TABLE replies (
         id TEXT PRIMARY KEY,
         message_id TEXT NOT NULL REFERENCES messages (id),
         author_id TEXT NOT NULL,
         author_name TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         seq INTEGER NOT NULL DEFAULT 0,
         local_action_id TEXT
       )`,
      'CREATE INDEX replies_by_message ON replies (message_id, created_at)',
      `CREATE TABLE notes (
         id TEXT PRIMARY KEY,
         message_id TEXT NOT NULL REFERENCES messages (id),
         author_id TEXT NOT NULL,
         author_name TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         seq INTEGER NOT NULL DEFAULT 0,
         local_action_id TEXT
       )`,
      'CREATE INDEX notes_by_message ON notes (message_id, created_at)',
      `CREATE TABLE triage (
         message_id TEXT PRIMARY KEY REFERENCES messages (id),
         read INTEGER NOT NULL DEFAULT 0,
         starred INTEGER NOT NULL DEFAULT 0,
         archived INTEGER NOT NULL DEFAULT 0,
         snoozed_until INTEGER,
         assignee_id TEXT,
         labels TEXT NOT NULL DEFAULT '[]',
         updated_at INTEGER NOT NULL DEFAULT 0,
         server TEXT,
         seq INTEGER NOT NULL DEFAULT 0
       )`,
      `CREATE TABLE message_labels (
         label TEXT NOT NULL,
         message_id TEXT NOT NULL REFERENCES messages (id),
         PRIMARY KEY (label, message_id)
       ) WITHOUT ROWID`,
      `CREATE TABLE ledger_events (
         id TEXT PRIMARY KEY,
         inbox_id TEXT NOT NULL,
         kind TEXT NOT NULL,
         message_id TEXT,
         fan_id TEXT,
         currency TEXT NOT NULL,
         gross_minor INTEGER NOT NULL,
         fee_minor INTEGER NOT NULL,
         net_minor INTEGER NOT NULL,
         actor_id TEXT,
         at INTEGER NOT NULL,
         seq INTEGER NOT NULL
       )`,
      `CREATE TABLE members (
         inbox_id TEXT NOT NULL,
         user_id TEXT NOT NULL,
         display_name TEXT NOT NULL,
         email TEXT NOT NULL,
         role TEXT NOT NULL,
         permissions TEXT NOT NULL,
         active INTEGER NOT NULL,
         seq INTEGER NOT NULL,
         PRIMARY KEY (inbox_id, user_id)
       )`,
      `CREATE TABLE audit (
         id TEXT PRIMARY KEY,
         inbox_id TEXT NOT NULL,
         actor_id TEXT,
         actor_name TEXT NOT NULL,
         device_name TEXT,
         action TEXT NOT NULL,
         subject_id TEXT,
         details TEXT NOT NULL,
         at INTEGER NOT NULL,
         seq INTEGER NOT NULL
       )`,
      'CREATE TABLE settings (inbox_id TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)',
      `CREATE TABLE outbox (
         position INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         inbox_id TEXT NOT NULL,
         message_id TEXT,
         kind TEXT NOT NULL,
         payload TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         send_after INTEGER NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         last_error TEXT,
         sending INTEGER NOT NULL DEFAULT 0
       )`,
      'CREATE INDEX outbox_by_message ON outbox (message_id, position)',
      `CREATE TABLE notices (
         id TEXT PRIMARY KEY,
         message_id TEXT,
         kind TEXT NOT NULL,
         code TEXT NOT NULL,
         text TEXT NOT NULL,
         actor_name TEXT,
         at INTEGER NOT NULL,
         dismissed INTEGER NOT NULL DEFAULT 0
       )`,
    ),
  },
  {
    version: 2,
    description: 'full-text search over message bodies and fan names (English and Arabic)',
    up: sql(...FTS_SCHEMA),
  },
  {
    version: 3,
    description: 'index-backed keyset pages for every inbox view; notice parameters; ledger covering index',
    up: sql(
      'CREATE INDEX messages_by_status_deadline ON messages (status, deadline, id)',
      'CREATE INDEX messages_by_status_paid ON messages (status, paid_at, id)',
      'CREATE INDEX messages_by_inbox_status_deadline ON messages (inbox_id, status, deadline, id)',
      'CREATE INDEX messages_by_inbox_status_paid ON messages (inbox_id, status, paid_at, id)',
      'CREATE INDEX triage_starred ON triage (message_id) WHERE starred = 1',
      'CREATE INDEX triage_archived ON triage (message_id) WHERE archived = 1',
      'CREATE INDEX triage_snoozed ON triage (snoozed_until) WHERE snoozed_until IS NOT NULL',
      'CREATE INDEX triage_assignee ON triage (assignee_id) WHERE assignee_id IS NOT NULL',
      'CREATE INDEX message_labels_by_message ON message_labels (message_id)',
      'CREATE INDEX ledger_by_inbox_at ON ledger_events (inbox_id, at, kind, currency, gross_minor, fee_minor, net_minor)',
      "ALTER TABLE notices ADD COLUMN params TEXT NOT NULL DEFAULT '{}'",
    ),
  },
  {
    version: 4,
    description: 'triage views page from their own partial indexes (sort keys copied from the message)',
    up: sql(
      "ALTER TABLE triage ADD COLUMN inbox_id TEXT NOT NULL DEFAULT ''",
      'ALTER TABLE triage ADD COLUMN deadline INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE triage ADD COLUMN paid_at INTEGER NOT NULL DEFAULT 0',
      `UPDATE triage SET (inbox_id, deadline, paid_at) =
         (SELECT m.inbox_id, m.deadline, m.paid_at FROM messages m WHERE m.id = triage.message_id)`,
      'DROP INDEX triage_starred',
      'DROP INDEX triage_archived',
      'DROP INDEX triage_snoozed',
      'DROP INDEX triage_assignee',
      'CREATE INDEX triage_starred_deadline ON triage (deadline, message_id) WHERE starred = 1',
      'CREATE INDEX triage_starred_paid ON triage (paid_at, message_id) WHERE starred = 1',
      'CREATE INDEX triage_archived_deadline ON triage (deadline, message_id) WHERE archived = 1',
      'CREATE INDEX triage_archived_paid ON triage (paid_at, message_id) WHERE archived = 1',
      'CREATE INDEX triage_snoozed_deadline ON triage (deadline, message_id) WHERE snoozed_until IS NOT NULL',
      'CREATE INDEX triage_snoozed_paid ON triage (paid_at, message_id) WHERE snoozed_until IS NOT NULL',
      'CREATE INDEX triage_assignee_deadline ON triage (assignee_id, deadline, message_id) WHERE assignee_id IS NOT NULL',
      'CREATE INDEX triage_assignee_paid ON triage (assignee_id, paid_at, message_id) WHERE assignee_id IS NOT NULL',
    ),
  },
  {
    version: 5,
    description: 'feed entries this build could not apply, kept to be tried again by the next version',
    up: sql(
      `CREATE TABLE set_aside_entries (
         id INTEGER PRIMARY KEY,
         inbox_id TEXT NOT NULL,
         seq INTEGER,
         raw TEXT NOT NULL,
         reason TEXT NOT NULL,
         app_version TEXT NOT NULL,
         at INTEGER NOT NULL
       )`,
      'CREATE UNIQUE INDEX set_aside_by_seq ON set_aside_entries (inbox_id, seq) WHERE seq IS NOT NULL',
    ),
  },
  {
    version: 6,
    description: 'a snapshot bootstrap in progress: its point, the last complete chunk, messages so far',
    up: sql(
      'ALTER TABLE sync_state ADD COLUMN snapshot_at INTEGER',
      'ALTER TABLE sync_state ADD COLUMN snapshot_resume TEXT',
      'ALTER TABLE sync_state ADD COLUMN snapshot_done INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE sync_state ADD COLUMN snapshot_total INTEGER NOT NULL DEFAULT 0',
    ),
  },
  {
    version: 7,
    // A cache folded from ledger_events (append-only), so it can always be dropped and
    // refolded. Builds before this step created these tables on first use (with a cache
    // version table of their own): whatever shape they had, they are replaced empty.
    description: 'earnings rollups folded from the ledger: per-message facts, day and month totals per zone, payouts',
    up: sql(
      'DROP TABLE IF EXISTS earnings_cache_version',
      'DROP TABLE IF EXISTS earnings_fold_state',
      'DROP TABLE IF EXISTS earnings_messages',
      'DROP TABLE IF EXISTS earnings_day_rollup',
      'DROP TABLE IF EXISTS earnings_month_rollup',
      'DROP TABLE IF EXISTS earnings_day_decisions',
      'DROP TABLE IF EXISTS earnings_month_decisions',
      'DROP TABLE IF EXISTS earnings_payouts',
      'DROP TABLE IF EXISTS earnings_day_fans',
      'DROP TABLE IF EXISTS earnings_month_fans',
      `CREATE TABLE earnings_fold_state (
       scope TEXT PRIMARY KEY,
       folded_rowid INTEGER NOT NULL
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_messages (
       message_id TEXT PRIMARY KEY,
       inbox_id TEXT NOT NULL,
       currency TEXT NOT NULL,
       gross INTEGER NOT NULL,
       net INTEGER NOT NULL DEFAULT 0,
       held_at INTEGER,
       settled_at INTEGER,
       settle_kind TEXT,
       duration_ms INTEGER,
       bucket INTEGER
     ) WITHOUT ROWID`,
      `CREATE INDEX earnings_messages_held
       ON earnings_messages (inbox_id, currency, gross) WHERE settled_at IS NULL`,
      `CREATE INDEX earnings_messages_decisions
       ON earnings_messages (inbox_id, bucket, duration_ms, settled_at, currency) WHERE bucket IS NOT NULL`,
      `CREATE TABLE earnings_day_rollup (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       day INTEGER NOT NULL,
       currency TEXT NOT NULL,
       kind TEXT NOT NULL,
       count INTEGER NOT NULL,
       gross INTEGER NOT NULL,
       fee INTEGER NOT NULL,
       net INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, day, currency, kind)
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_month_rollup (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       month INTEGER NOT NULL,
       currency TEXT NOT NULL,
       kind TEXT NOT NULL,
       count INTEGER NOT NULL,
       gross INTEGER NOT NULL,
       fee INTEGER NOT NULL,
       net INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, month, currency, kind)
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_day_decisions (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       day INTEGER NOT NULL,
       currency TEXT NOT NULL,
       bucket INTEGER NOT NULL,
       count INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, day, currency, bucket)
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_month_decisions (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       month INTEGER NOT NULL,
       currency TEXT NOT NULL,
       bucket INTEGER NOT NULL,
       count INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, month, currency, bucket)
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_payouts (
       id TEXT PRIMARY KEY,
       inbox_id TEXT NOT NULL,
       currency TEXT NOT NULL,
       amount INTEGER NOT NULL,
       at INTEGER NOT NULL,
       actor_id TEXT
     ) WITHOUT ROWID`,
      'CREATE INDEX earnings_payouts_by_inbox ON earnings_payouts (inbox_id, at)',
      `CREATE TABLE earnings_day_fans (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       day INTEGER NOT NULL,
       currency TEXT NOT NULL,
       fan_id TEXT NOT NULL,
       count INTEGER NOT NULL,
       gross INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, day, currency, fan_id)
     ) WITHOUT ROWID`,
      `CREATE TABLE earnings_month_fans (
       inbox_id TEXT NOT NULL,
       time_zone TEXT NOT NULL,
       month INTEGER NOT NULL,
       currency TEXT NOT NULL,
       fan_id TEXT NOT NULL,
       count INTEGER NOT NULL,
       gross INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, time_zone, month, currency, fan_id)
     ) WITHOUT ROWID`,
    ),
  },
  {
    version: 8,
    // Messages synced before this step were parsed without `free`; the platform sends a
    // zero price only on a free pass, so those are the free ones. Fans synced before it
    // have no terms until their next change reaches the feed.
    description: "pricing (#18): each message's free pass, each fan's own terms, captures by settle time",
    up: sql(
      'ALTER TABLE messages ADD COLUMN free INTEGER NOT NULL DEFAULT 0',
      'UPDATE messages SET free = 1 WHERE price_minor = 0',
      'ALTER TABLE fans ADD COLUMN terms TEXT',
      `CREATE INDEX earnings_messages_captured
       ON earnings_messages (inbox_id, settled_at) WHERE settle_kind = 'capture'`,
    ),
  },
  {
    version: 9,
    // Issue 17: the platform's copy of each draft, from the feed or the snapshot, so the
    // drafts to approve (and a manager's sent-back drafts) read offline. The message's
    // deadline, price and state are read from `messages`, which the feed keeps current.
    description: 'drafts a creator approves: the platform copy of each draft',
    up: sql(
      `CREATE TABLE drafts (
         id TEXT PRIMARY KEY,
         inbox_id TEXT NOT NULL,
         message_id TEXT NOT NULL,
         author_id TEXT NOT NULL,
         author_name TEXT NOT NULL,
         body TEXT NOT NULL,
         status TEXT NOT NULL,
         comment TEXT,
         created_at INTEGER NOT NULL,
         decided_at INTEGER,
         decided_by_id TEXT,
         decided_by_name TEXT,
         seq INTEGER NOT NULL
       )`,
      'CREATE INDEX drafts_by_inbox ON drafts (inbox_id, status)',
      'CREATE INDEX drafts_by_message ON drafts (message_id)',
    ),
  },
  {
    version: 10,
    // When an action first left for the platform: past the platform's idempotency-key
    // lifetime a note or reply that may have arrived is not sent blindly again. A row tried
    // before this step counts as first sent when it was queued (the safe side).
    description: 'outbox: when each action was first sent',
    up: sql(
      'ALTER TABLE outbox ADD COLUMN first_sent_at INTEGER',
      'UPDATE outbox SET first_sent_at = created_at WHERE attempts > 0',
    ),
  },
  {
    version: 11,
    description: "a message's fee split may be absent: the platform sends none to who may not view earnings",
    up: withoutFeeSplitConstraints,
  },
  {
    version: 12,
    // The platform blocks a fan, and gives them their own terms, in one inbox, and numbers
    // each inbox's feed on its own: one row per fan for the device showed one inbox's block
    // in another and let one feed's higher numbers shadow the other's changes. A row from
    // before is copied to each inbox the fan wrote to, at position 0 so that inbox's next
    // change of the fan wins; a fan no message names goes (their next change brings them).
    description: "fans per inbox: each inbox's own block, terms and feed position",
    up: sql(
      `CREATE TABLE fans_by_inbox (
         inbox_id TEXT NOT NULL,
         id TEXT NOT NULL,
         display_name TEXT NOT NULL,
         blocked INTEGER NOT NULL DEFAULT 0,
         terms TEXT,
         seq INTEGER NOT NULL,
         PRIMARY KEY (inbox_id, id)
       ) WITHOUT ROWID`,
      `INSERT INTO fans_by_inbox (inbox_id, id, display_name, blocked, terms, seq)
       SELECT DISTINCT m.inbox_id, f.id, f.display_name, f.blocked, f.terms, 0
       FROM fans f JOIN messages m ON m.fan_id = f.id`,
      'DROP TABLE fans',
      'ALTER TABLE fans_by_inbox RENAME TO fans',
    ),
  },
  {
    version: 13,
    // Search walked the index in arrival order, which a snapshot (pending messages first)
    // and a replay of the feed (creation order) give differently: the same inbox searched
    // in a different order on two devices.
    description: "search in the messages' own order (time paid, then id), not arrival order",
    up: (db) => {
      const live = isFtsLive(db);
      db.exec('ALTER TABLE messages ADD COLUMN search_key INTEGER');
      assignSearchKeys(db);
      db.exec('CREATE UNIQUE INDEX messages_search_key ON messages (search_key)');
      sql(...FTS_BY_SEARCH_KEY)(db);
      if (live) restoreFtsTriggers(db);
    },
  },
  {
    version: 14,
    // The first summary after a big sync scanned every held payment twice (the held total,
    // then a join to each message for its deadline): O(pending), seconds at 1M messages.
    // The index covers the query (settled_at and held_at too), so no row is read twice.
    description: 'earnings: held totals folded per inbox and currency; held payments indexed by deadline',
    up: sql(
      'ALTER TABLE earnings_messages ADD COLUMN deadline INTEGER',
      `UPDATE earnings_messages SET deadline = (SELECT m.deadline FROM messages m WHERE m.id = message_id)
       WHERE settled_at IS NULL`,
      'DROP INDEX earnings_messages_held',
      `CREATE INDEX earnings_messages_held_by_deadline
       ON earnings_messages (inbox_id, deadline, currency, gross, settled_at, held_at)
       WHERE settled_at IS NULL AND held_at IS NOT NULL`,
      `CREATE TABLE earnings_held (
       inbox_id TEXT NOT NULL,
       currency TEXT NOT NULL,
       count INTEGER NOT NULL,
       gross INTEGER NOT NULL,
       PRIMARY KEY (inbox_id, currency)
     ) WITHOUT ROWID`,
      `INSERT INTO earnings_held (inbox_id, currency, count, gross)
       SELECT inbox_id, currency, count(*), sum(gross) FROM earnings_messages
       WHERE settled_at IS NULL AND held_at IS NOT NULL GROUP BY inbox_id, currency`,
    ),
  },
];

/** The constraints of `messages` on the fee split, as version 1 wrote them and as they become. */
const FEE_SPLIT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['fee_bps INTEGER NOT NULL,', 'fee_bps INTEGER,'],
  ['fee_minor INTEGER NOT NULL,', 'fee_minor INTEGER,'],
  ['net_minor INTEGER NOT NULL,', 'net_minor INTEGER,'],
  [
    'CHECK (fee_minor + net_minor = price_minor)',
    // All three or none; NULL would pass a plain sum check, so each is tested.
    `CHECK ((fee_bps IS NULL AND fee_minor IS NULL AND net_minor IS NULL) OR
                (fee_bps IS NOT NULL AND fee_minor IS NOT NULL AND net_minor IS NOT NULL AND fee_minor + net_minor = price_minor))`,
  ],
];

/**
 * Drops NOT NULL from the fee split (keeping "all or none, and they add up"). SQLite
 * cannot alter a column's constraints; rebuilding `messages` would mean dropping the
 * table that replies, notes and triage reference, its FTS triggers and view. SQLite's own
 * documented procedure for removing NOT NULL and CHECK constraints is to rewrite the
 * table's text in sqlite_schema, which changes no stored row (lang_altertable.html,
 * "otheralter"): done inside the migration's transaction, with the schema version bumped
 * so every connection re-reads it and integrity checked before it commits.
 */
function withoutFeeSplitConstraints(db: Database.Database): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").pluck().get() as
    | string
    | undefined;
  let rewritten = table ?? '';
  for (const [before, after] of FEE_SPLIT_COLUMNS) {
    if (!rewritten.includes(before))
      throw new CoreError('internal', `messages table is not as version 1 wrote it: ${before}`);
    rewritten = rewritten.replace(before, after);
  }
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'messages'").run(rewritten);
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok')
    throw new CoreError('internal', `messages table rewrite failed its integrity check: ${String(check)}`);
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (default: latest), each step in its own transaction
 * together with its version number, so a crash leaves a whole step or none. A database
 * written by a newer app is refused, never downgraded.
 */
export function migrate(db: Database.Database, target = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new CoreError(
      'internal',
      `This database was written by a newer version of the app (schema ${current}, this app knows ${LATEST_VERSION}). Update the app.`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
