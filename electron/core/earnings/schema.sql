-- Earnings rollups in the account database (issue 7).
--
-- These tables are a cache derived from ledger_events (which is append-only: the sync
-- inserts with ON CONFLICT DO NOTHING and never updates or deletes). They can be dropped
-- at any time and are rebuilt on the next earnings query. Until the core adopts them as
-- a numbered migration, electron/core/earnings/schema.ts creates them with IF NOT EXISTS
-- on first use; proposed as migration 4 ("earnings rollups"), verbatim.

-- How far each derived table has read ledger_events, by rowid. scope = 'facts' for
-- earnings_messages, 'days:<IANA zone>' for the per-zone day rollups.
CREATE TABLE IF NOT EXISTS earnings_fold_state (
  scope TEXT PRIMARY KEY,
  folded_rowid INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per paid message: its hold and its settlement (gross/net of the capture once
-- accepted). Held = settled_at IS NULL.
-- duration_ms / bucket only for accepts and refunds (expiry is not a decision).
CREATE TABLE IF NOT EXISTS earnings_messages (
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
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS earnings_messages_held
  ON earnings_messages (inbox_id, currency, gross) WHERE settled_at IS NULL;
-- The exact median walks one duration bucket in duration order and stops at its rank.
CREATE INDEX IF NOT EXISTS earnings_messages_decisions
  ON earnings_messages (inbox_id, bucket, duration_ms, settled_at, currency) WHERE bucket IS NOT NULL;

-- Ledger totals per local calendar day of one time zone (a day is days since 1970-01-01
-- of the local date), and the same per local month (keyed by the day number of its 1st):
-- a period is its whole months plus at most two partial months of days, so a few
-- hundred rows whatever the ledger size.
CREATE TABLE IF NOT EXISTS earnings_day_rollup (
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
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS earnings_month_rollup (
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
) WITHOUT ROWID;

-- How many decisions per day / month fell in each duration bucket: locates the median.
CREATE TABLE IF NOT EXISTS earnings_day_decisions (
  inbox_id TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  day INTEGER NOT NULL,
  currency TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, time_zone, day, currency, bucket)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS earnings_month_decisions (
  inbox_id TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  month INTEGER NOT NULL,
  currency TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, time_zone, month, currency, bucket)
) WITHOUT ROWID;

-- Payouts of each inbox, newest first, without scanning the ledger for the rare payout.
CREATE TABLE IF NOT EXISTS earnings_payouts (
  id TEXT PRIMARY KEY,
  inbox_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor_id TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS earnings_payouts_by_inbox ON earnings_payouts (inbox_id, at);

-- What each fan paid for accepted messages, per day / month: top supporters of any period
-- without reading its captures one by one.
CREATE TABLE IF NOT EXISTS earnings_day_fans (
  inbox_id TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  day INTEGER NOT NULL,
  currency TEXT NOT NULL,
  fan_id TEXT NOT NULL,
  count INTEGER NOT NULL,
  gross INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, time_zone, day, currency, fan_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS earnings_month_fans (
  inbox_id TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  month INTEGER NOT NULL,
  currency TEXT NOT NULL,
  fan_id TEXT NOT NULL,
  count INTEGER NOT NULL,
  gross INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, time_zone, month, currency, fan_id)
) WITHOUT ROWID;
