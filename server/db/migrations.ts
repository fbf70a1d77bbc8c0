/**
 * Numbered, forward-only schema migrations. Never edit an entry once committed: add the
 * next number. Every statement is PostgreSQL 15 SQL (Debian's server) that PGlite also runs.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, inboxes, ledger, messages, change feed',
    sql: `
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('fan', 'creator')),
  password_salt text NOT NULL,
  password_hash text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  token_hash text NOT NULL UNIQUE,
  device_name text NOT NULL,
  created_at bigint NOT NULL,
  last_used_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE inboxes (
  id text PRIMARY KEY,
  owner_id text NOT NULL UNIQUE REFERENCES users(id),
  handle text NOT NULL UNIQUE,
  accepting_paid_dms boolean NOT NULL,
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL,
  response_window_ms bigint NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  max_pending integer,
  daily_cap integer,
  feed_head bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);

CREATE TABLE members (
  inbox_id text NOT NULL REFERENCES inboxes(id),
  user_id text NOT NULL REFERENCES users(id),
  role text NOT NULL CHECK (role IN ('owner', 'manager')),
  permissions text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at bigint NOT NULL,
  PRIMARY KEY (inbox_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE invitations (
  id text PRIMARY KEY,
  inbox_id text NOT NULL REFERENCES inboxes(id),
  email text NOT NULL,
  permissions text[] NOT NULL,
  invited_by text NOT NULL REFERENCES users(id),
  created_at bigint NOT NULL,
  accepted_at bigint,
  revoked_at bigint
);
CREATE INDEX invitations_email ON invitations (email);

-- Balances of accounts that must never go negative are kept on the row (checked by the
-- constraint); the bank and platform revenue are summed from their entries instead, so
-- they never become a row every payment in the system has to lock.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('wallet', 'escrow', 'creator', 'platform', 'bank')),
  owner_id text,
  currency text NOT NULL,
  balance bigint NOT NULL DEFAULT 0,
  CHECK (kind IN ('platform', 'bank') OR balance >= 0)
);

CREATE TABLE ledger_transactions (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('topup', 'hold', 'capture', 'refund', 'expire', 'payout')),
  inbox_id text,
  message_id text,
  fan_id text,
  actor_id text,
  currency text NOT NULL,
  gross bigint NOT NULL,
  fee bigint NOT NULL,
  net bigint NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX ledger_transactions_inbox ON ledger_transactions (inbox_id, at);
-- A message is held once, and captured or refunded at most once: the schema says so too.
CREATE UNIQUE INDEX ledger_transactions_settle_once ON ledger_transactions (message_id)
  WHERE kind IN ('capture', 'refund', 'expire');
CREATE UNIQUE INDEX ledger_transactions_hold_once ON ledger_transactions (message_id) WHERE kind = 'hold';

CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  transaction_id text NOT NULL REFERENCES ledger_transactions(id),
  account_id text NOT NULL REFERENCES accounts(id),
  amount bigint NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

CREATE TABLE messages (
  id text PRIMARY KEY,
  inbox_id text NOT NULL REFERENCES inboxes(id),
  fan_id text NOT NULL REFERENCES users(id),
  body text NOT NULL,
  price_minor bigint NOT NULL,
  currency text NOT NULL,
  fee_bps integer NOT NULL,
  fee_minor bigint NOT NULL,
  net_minor bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'refunded', 'expired')),
  paid_at bigint NOT NULL,
  deadline bigint NOT NULL,
  decided_at bigint,
  decided_by text REFERENCES users(id),
  refund_reason text,
  note_to_fan text,
  CHECK (fee_minor + net_minor = price_minor)
);
CREATE INDEX messages_pending_deadline ON messages (deadline) WHERE status = 'pending';
CREATE INDEX messages_inbox_status ON messages (inbox_id, status);
CREATE INDEX messages_inbox_paid ON messages (inbox_id, paid_at);
CREATE INDEX messages_fan ON messages (fan_id, paid_at);

CREATE TABLE replies (
  id text PRIMARY KEY,
  message_id text NOT NULL REFERENCES messages(id),
  author_id text NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX replies_message ON replies (message_id);

CREATE TABLE triage (
  message_id text PRIMARY KEY REFERENCES messages(id),
  read boolean NOT NULL DEFAULT false,
  starred boolean NOT NULL DEFAULT false,
  archived boolean NOT NULL DEFAULT false,
  labels text[] NOT NULL DEFAULT '{}',
  snoozed_until bigint,
  assignee_id text,
  updated_at bigint NOT NULL
);

CREATE TABLE notes (
  id text PRIMARY KEY,
  message_id text NOT NULL REFERENCES messages(id),
  author_id text NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE blocks (
  inbox_id text NOT NULL REFERENCES inboxes(id),
  fan_id text NOT NULL REFERENCES users(id),
  created_at bigint NOT NULL,
  PRIMARY KEY (inbox_id, fan_id)
);

CREATE TABLE payouts (
  id text PRIMARY KEY,
  inbox_id text NOT NULL REFERENCES inboxes(id),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  requested_by text NOT NULL REFERENCES users(id),
  created_at bigint NOT NULL
);
CREATE INDEX payouts_inbox ON payouts (inbox_id, created_at);

CREATE TABLE audit_log (
  id text PRIMARY KEY,
  inbox_id text NOT NULL REFERENCES inboxes(id),
  actor_id text,
  actor_name text NOT NULL,
  device_name text,
  action text NOT NULL,
  subject_id text,
  details jsonb NOT NULL DEFAULT '{}',
  at bigint NOT NULL
);
CREATE INDEX audit_log_inbox ON audit_log (inbox_id, at);

-- The per-inbox change feed: each entry is the full state of one entity at that point.
CREATE TABLE changes (
  inbox_id text NOT NULL REFERENCES inboxes(id),
  seq bigint NOT NULL,
  kind text NOT NULL,
  entity_id text NOT NULL,
  at bigint NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (inbox_id, seq)
);

CREATE TABLE idempotency_keys (
  user_id text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer NOT NULL,
  response jsonb NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (user_id, key)
);
`,
  },
  {
    version: 2,
    name: 'insertion order for ledger and audit rows written at the same instant',
    sql: `
ALTER TABLE ledger_transactions ADD COLUMN position bigserial;
CREATE INDEX ledger_transactions_inbox_order ON ledger_transactions (inbox_id, at, position);
ALTER TABLE audit_log ADD COLUMN position bigserial;
CREATE INDEX audit_log_inbox_order ON audit_log (inbox_id, at, position);
`,
  },
  {
    version: 3,
    name: 'snapshot reads: newest feed entry per entity, pending messages of an inbox by deadline',
    sql: `
CREATE INDEX changes_entity ON changes (inbox_id, kind, entity_id, seq DESC);
CREATE INDEX messages_inbox_pending_deadline ON messages (inbox_id, deadline, id) WHERE status = 'pending';
`,
  },
  {
    version: 4,
    name: 'invitations: a secret code, an expiry, one open per inbox and email; idempotency keys by age',
    sql: `
ALTER TABLE invitations ADD COLUMN code_hash text;
ALTER TABLE invitations ADD COLUMN expires_at bigint;
-- Invitations made before codes existed cannot be accepted any more: they lapse now.
UPDATE invitations SET expires_at = created_at + 604800000, revoked_at = COALESCE(revoked_at, accepted_at, created_at)
  WHERE accepted_at IS NULL;
UPDATE invitations SET expires_at = created_at + 604800000 WHERE expires_at IS NULL;
ALTER TABLE invitations ALTER COLUMN expires_at SET NOT NULL;
CREATE UNIQUE INDEX invitations_open_once ON invitations (inbox_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
`,
  },
  {
    version: 5,
    name: 'pricing by response time: faster tiers offered beside the standard terms',
    sql: `
ALTER TABLE inboxes ADD COLUMN faster_tiers jsonb NOT NULL DEFAULT '[]'::jsonb;
`,
  },
  {
    version: 6,
    name: 'snapshot reads: append-only kinds (ledger, audit) of an inbox in feed order',
    // Without it each snapshot chunk of ledger entries sorted every remaining entry of the
    // inbox to return the next few thousand (quadratic in the ledger's size). Partial: the
    // other kinds are read per entity (changes_entity), and must not be planned onto it.
    sql: `
CREATE INDEX changes_append_only ON changes (inbox_id, kind, seq) WHERE kind IN ('ledger', 'audit');
`,
  },
  {
    version: 7,
    name: 'money limits per manager (largest price, refunds per 24 h)',
    sql: `
ALTER TABLE members ADD COLUMN limits_currency text;
ALTER TABLE members ADD COLUMN max_price_minor bigint CHECK (max_price_minor > 0);
ALTER TABLE members ADD COLUMN daily_refund_minor bigint CHECK (daily_refund_minor > 0);
-- The daily refund total sums one member's refunds in an inbox over the last 24 hours.
CREATE INDEX ledger_transactions_refunds_by_actor ON ledger_transactions (inbox_id, actor_id, at) WHERE kind = 'refund';
`,
  },
  {
    version: 8,
    name: 'per-fan terms: a free pass or a personal price; messages sent on a free pass',
    sql: `
CREATE TABLE fan_terms (
  inbox_id text NOT NULL REFERENCES inboxes(id),
  fan_id text NOT NULL REFERENCES users(id),
  kind text NOT NULL CHECK (kind IN ('free', 'price')),
  price_minor bigint,
  currency text,
  set_by text NOT NULL REFERENCES users(id),
  set_at bigint NOT NULL,
  PRIMARY KEY (inbox_id, fan_id),
  CHECK ((kind = 'free' AND price_minor IS NULL) OR (kind = 'price' AND price_minor > 0 AND currency IS NOT NULL))
);
ALTER TABLE messages ADD COLUMN free boolean NOT NULL DEFAULT false;
-- A free message moves no money: its price is zero and so are its fee and net.
ALTER TABLE messages ADD CONSTRAINT messages_free_is_unpaid CHECK (NOT free OR price_minor = 0);
`,
  },
  {
    version: 9,
    name: 'drafts a creator approves: one open draft per message',
    sql: `
CREATE TABLE drafts (
  id text PRIMARY KEY,
  message_id text NOT NULL REFERENCES messages(id),
  inbox_id text NOT NULL REFERENCES inboxes(id),
  author_id text NOT NULL REFERENCES users(id),
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'sent_back', 'superseded', 'void')),
  comment text,
  created_at bigint NOT NULL,
  decided_at bigint,
  decided_by text REFERENCES users(id)
);
CREATE UNIQUE INDEX drafts_open_once ON drafts (message_id) WHERE status = 'pending';
CREATE INDEX drafts_inbox ON drafts (inbox_id, status);
`,
  },
  {
    version: 10,
    name: 'no index that another index already serves: ledger and audit by inbox and time',
    // Each is the leading part of the index added beside it in migration 2 (…, position),
    // which answers every query it could; each accept still paid for both on every insert.
    sql: `
DROP INDEX ledger_transactions_inbox;
DROP INDEX audit_log_inbox;
`,
  },
  {
    version: 11,
    name: 'feed entries kept as the JSON text they were written as',
    // The feed and the snapshot send each entry's JSON as it is; nothing queries inside it.
    // As jsonb, every entry read was printed again from its binary form (a third of a
    // snapshot's SQL time) and every entry written was parsed into it. json keeps the text.
    sql: `
ALTER TABLE changes ALTER COLUMN data TYPE json USING data::json;
`,
  },
  {
    version: 12,
    name: 'a balance that cannot move fails its statement',
    // A ledger posting moves balances in the statement that writes it, without waiting for
    // the move's answer first (one round trip fewer under the inbox's lock); when a debited
    // balance is missing or short, this fails the statement and so the transaction, which
    // the platform then runs again checking balances first (server/services/ledger.ts).
    // The SQLSTATE is the platform's own: no other error carries it.
    sql: `
CREATE FUNCTION ci_balances_moved(moved bigint, expected bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF moved IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'a debited balance is missing or short (% of % moved)', moved, expected USING ERRCODE = 'CIB01';
  END IF;
  RETURN true;
END
$$;
`,
  },
];
