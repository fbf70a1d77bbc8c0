import { randomUUID } from 'node:crypto';
import { HOUR_MS } from '../../shared/message';
import { money, splitFee } from '../../shared/money';
import * as accounts from '../services/accounts';
import type { Services, Tx } from '../services/context';
import { CREATOR_REPLIES, FAN_MESSAGES } from './content';

/**
 * Load data for benchmarks: one creator with `messages` paid messages from `fans` fans,
 * written set-based (INSERT … SELECT over generate_series) in chunks, with a complete
 * ledger (top-up, hold, capture or refund per message) and the matching change feed.
 * The books are as consistent as if every message had gone through the routes.
 */

export interface BulkOptions {
  messages: number;
  fans?: number;
  handle?: string;
  price?: { minor: number; currency: string };
  responseWindowMs?: number;
  /** Share of messages still pending (the newest ones), 0..1; default 0.2. */
  pendingShare?: number;
  /** Password of the creator account; default "bulk-password-2026". */
  password?: string;
  chunkSize?: number;
  /** Told after each step, with the milliseconds since seeding began. */
  onProgress?(step: string, elapsedMs: number): void;
}

export interface BulkResult {
  inboxId: string;
  handle: string;
  creator: { id: string; email: string; password: string };
  messages: number;
  fans: number;
  feedHead: number;
  ms: number;
}

const BULK_PASSWORD = 'bulk-password-2026';

export async function seedBulk(target: { services: Services }, options: BulkOptions): Promise<BulkResult> {
  const started = Date.now();
  const { services } = target;
  const total = Math.max(0, Math.floor(options.messages));
  const fanCount = Math.max(1, Math.min(options.fans ?? 1_000, Math.max(1, total)));
  const handle = options.handle ?? `bulk_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const price = splitFee(money(options.price?.minor ?? 2_500, options.price?.currency ?? 'USD'), services.feeBps);
  const windowMs = options.responseWindowMs ?? 72 * HOUR_MS;
  const pendingCount = Math.round(total * Math.min(1, Math.max(0, options.pendingShare ?? 0.2)));
  const decidedCount = total - pendingCount;
  const password = options.password ?? BULK_PASSWORD;
  // Bigger chunks are slower per row in PGlite (its sorts and hashes spill in WASM memory).
  const chunkSize = options.chunkSize ?? 10_000;
  const now = services.clock.now();
  const email = `${handle}@bulk.creatorinbox.test`;
  const progress = (step: string) => options.onProgress?.(step, Date.now() - started);

  const hash = await (await import('../auth/password')).hashPassword(password);
  const session = await services.transact(async (tx) => {
    const created = await accounts.signUp(
      tx,
      { email, password, displayName: `Bulk ${handle}`, kind: 'creator', handle },
      hash,
    );
    await tx.sql.query(
      'UPDATE inboxes SET price_minor = $2, currency = $3, response_window_ms = $4 WHERE handle = $1',
      [handle, price.price.minor, price.price.currency, windowMs],
    );
    return created;
  });
  const ownerId = session.user.id;
  const inboxRows = await services.db.query<{ id: string }>('SELECT id FROM inboxes WHERE handle = $1', [handle]);
  const inboxId = inboxRows[0]?.id ?? '';
  const currency = price.price.currency;

  // Decided messages are spread over the 60 days before the pending ones begin; pending
  // ones over the last 90 % of the response window, so none is due yet.
  const pendingSpacing = pendingCount > 0 ? Math.max(1, Math.floor((windowMs * 0.9) / pendingCount)) : 1;
  const pendingStart = now - pendingSpacing * pendingCount;
  const decidedSpacing = decidedCount > 0 ? Math.max(1, Math.floor((60 * 24 * HOUR_MS) / decidedCount)) : 1;
  const decidedStart = pendingStart - decidedSpacing * decidedCount - windowMs;

  await services.transact(async (tx) => {
    await tx.sql.query(
      `INSERT INTO users (id, email, display_name, kind, password_salt, password_hash, created_at)
       SELECT $1 || '-fan-' || g, $1 || '-fan-' || g || '@bulk.creatorinbox.test',
              (ARRAY['Maya', 'نور', 'Jordan', 'أحمد', 'Priya', 'Lucas', 'فاطمة', 'Hannah'])[1 + g % 8] || ' ' || g,
              'fan', '', 'disabled', $2
       FROM generate_series(0, $3 - 1) AS g`,
      [handle, decidedStart, fanCount],
    );
    await tx.sql.query(
      `INSERT INTO accounts (id, kind, owner_id, currency)
       SELECT 'wallet:' || u.id || ':' || $2, 'wallet', u.id, $2 FROM users u WHERE u.id LIKE $1 || '-fan-%'
       UNION ALL SELECT 'escrow:' || $3 || ':' || $2, 'escrow', $3, $2
       UNION ALL SELECT 'creator:' || $3 || ':' || $2, 'creator', $3, $2
       UNION ALL SELECT 'platform:' || $2, 'platform', NULL, $2
       UNION ALL SELECT 'bank:' || $2, 'bank', NULL, $2
       ON CONFLICT (id) DO NOTHING`,
      [handle, currency, inboxId],
    );
  });

  const bodies = FAN_MESSAGES as string[];
  // The feed starts with every fan once; the chunks then add messages in time order.
  let feedHead = await services.transact(async (tx) => {
    await skipForeignKeyChecks(tx);
    const base = await lockFeedHead(tx, inboxId);
    const rows = await tx.sql.query<{ n: number }>(
      `WITH written AS (
         INSERT INTO changes (inbox_id, seq, kind, entity_id, at, data)
         SELECT $1, $4::bigint + 1 + g, 'fan', $2 || '-fan-' || g, $5,
                jsonb_build_object('id', u.id, 'displayName', u.display_name, 'blocked', false)
         FROM generate_series(0, $3 - 1) AS g JOIN users u ON u.id = $2 || '-fan-' || g
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [inboxId, handle, fanCount, base, decidedStart],
    );
    return advanceFeedHead(tx, inboxId, base, rows[0]?.n ?? 0);
  });
  for (let from = 0; from < total; from += chunkSize) {
    const to = Math.min(total, from + chunkSize) - 1;
    feedHead = await services.transact(async (tx) => {
      const q = async (text: string, params: unknown[] = []) => {
        const rows = await tx.sql.query(text, params);
        progress(text.trim().split('\n')[0] ?? '');
        return rows;
      };
      await skipForeignKeyChecks(tx);
      // This chunk's messages, kept aside so every later statement reads them without searching.
      await q('CREATE TEMP TABLE bulk_chunk (LIKE messages) ON COMMIT DROP');
      // Message g: pending when g >= decidedCount; otherwise accepted (70 %), refunded (20 %), expired (10 %).
      // A decision takes 1-95 % of the response window, spread as people's are: with one time for
      // every decision (it was a quarter of the window), the earnings median read all of them.
      await q(
        `WITH inserted AS (
         INSERT INTO messages (id, inbox_id, fan_id, body, price_minor, currency, fee_bps, fee_minor, net_minor, status,
                               paid_at, deadline, decided_at, decided_by, refund_reason, note_to_fan)
         SELECT $1 || '-m-' || g, $2, $1 || '-fan-' || (g % $3), ($4::text[])[1 + g % array_length($4::text[], 1)],
                $5, $6, $7, $8, $9, s.status,
                s.paid_at, s.paid_at + $10,
                CASE s.status WHEN 'pending' THEN NULL WHEN 'expired' THEN s.paid_at + $10
                  ELSE s.paid_at + ($10::bigint * (1 + (g::bigint * 37) % 95)) / 100 END,
                CASE WHEN s.status IN ('accepted', 'refunded') THEN $11 END,
                CASE WHEN s.status = 'refunded' THEN 'cannot_answer' END, NULL
         FROM generate_series($12::int, $13::int) AS g
         CROSS JOIN LATERAL (SELECT
           CASE WHEN g >= $14 THEN 'pending' WHEN g % 10 < 7 THEN 'accepted' WHEN g % 10 < 9 THEN 'refunded' ELSE 'expired' END AS status,
           CASE WHEN g >= $14 THEN $15::bigint + (g - $14)::bigint * $16 ELSE $17::bigint + g::bigint * $18 END AS paid_at) AS s
         RETURNING *)
         INSERT INTO bulk_chunk SELECT * FROM inserted`,
        [
          handle,
          inboxId,
          fanCount,
          bodies,
          price.price.minor,
          currency,
          price.feeBps,
          price.fee.minor,
          price.net.minor,
          windowMs,
          ownerId,
          from,
          to,
          decidedCount,
          pendingStart,
          pendingSpacing,
          decidedStart,
          decidedSpacing,
        ],
      );
      await q(
        `INSERT INTO triage (message_id, read, starred, archived, labels, updated_at)
         SELECT m.id, m.status <> 'pending', false, m.status <> 'pending', '{}', COALESCE(m.decided_at, m.paid_at)
         FROM bulk_chunk m`,
      );
      await q(
        `INSERT INTO replies (id, message_id, author_id, body, created_at)
         SELECT m.id || '-r', m.id, m.decided_by, ($1::text[])[1 + abs(hashtext(m.id)) % array_length($1::text[], 1)], m.decided_at
         FROM bulk_chunk m WHERE m.status = 'accepted'`,
        [CREATOR_REPLIES as string[]],
      );
      // Money: a hold for every message, then its capture, refund or expiry.
      await q(
        `INSERT INTO ledger_transactions (id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net, at)
         SELECT 'hold-' || m.id, 'hold', m.inbox_id, m.id, m.fan_id, m.fan_id, m.currency, m.price_minor, 0, 0, m.paid_at
         FROM bulk_chunk m
         UNION ALL
         SELECT 'settle-' || m.id, CASE m.status WHEN 'accepted' THEN 'capture' WHEN 'refunded' THEN 'refund' ELSE 'expire' END,
                m.inbox_id, m.id, m.fan_id, m.decided_by, m.currency, m.price_minor,
                CASE WHEN m.status = 'accepted' THEN m.fee_minor ELSE 0 END,
                CASE WHEN m.status = 'accepted' THEN m.net_minor ELSE 0 END, m.decided_at
         FROM bulk_chunk m WHERE m.status <> 'pending'`,
      );
      await q(
        `INSERT INTO ledger_entries (transaction_id, account_id, amount)
         SELECT 'hold-' || m.id, 'wallet:' || m.fan_id || ':' || m.currency, -m.price_minor FROM bulk_chunk m
         UNION ALL SELECT 'hold-' || m.id, 'escrow:' || m.inbox_id || ':' || m.currency, m.price_minor FROM bulk_chunk m
         UNION ALL SELECT 'settle-' || m.id, 'escrow:' || m.inbox_id || ':' || m.currency, -m.price_minor
           FROM bulk_chunk m WHERE m.status <> 'pending'
         UNION ALL SELECT 'settle-' || m.id, 'creator:' || m.inbox_id || ':' || m.currency, m.net_minor
           FROM bulk_chunk m WHERE m.status = 'accepted' AND m.net_minor > 0
         UNION ALL SELECT 'settle-' || m.id, 'platform:' || m.currency, m.fee_minor
           FROM bulk_chunk m WHERE m.status = 'accepted' AND m.fee_minor > 0
         UNION ALL SELECT 'settle-' || m.id, 'wallet:' || m.fan_id || ':' || m.currency, m.price_minor
           FROM bulk_chunk m WHERE m.status IN ('refunded', 'expired')`,
      );
      const base = await lockFeedHead(tx, inboxId);
      const written = await q(FEED_SQL, [base]);
      return await advanceFeedHead(tx, inboxId, base, (written[0] as { n: number } | undefined)?.n ?? 0);
    });
  }

  // Top-ups that paid for every hold, and the balances the entries add up to.
  await services.transact(async (tx) => {
    await skipForeignKeyChecks(tx);
    await tx.sql.query(
      `INSERT INTO ledger_transactions (id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net, at)
       SELECT 'topup-' || m.fan_id, 'topup', NULL, NULL, m.fan_id, m.fan_id, $2, SUM(m.price_minor), 0, 0, MIN(m.paid_at) - 1000
       FROM messages m WHERE m.inbox_id = $1 GROUP BY m.fan_id`,
      [inboxId, currency],
    );
    await tx.sql.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount)
       SELECT t.id, 'wallet:' || t.fan_id || ':' || $1, t.gross FROM ledger_transactions t
         WHERE t.kind = 'topup' AND t.id LIKE 'topup-' || $2 || '-fan-%'
       UNION ALL SELECT t.id, 'bank:' || $1, -t.gross FROM ledger_transactions t
         WHERE t.kind = 'topup' AND t.id LIKE 'topup-' || $2 || '-fan-%'`,
      [currency, handle],
    );
    await tx.sql.query(
      `UPDATE accounts a SET balance = s.total FROM (
         SELECT e.account_id, SUM(e.amount)::bigint AS total FROM ledger_entries e
         WHERE e.account_id IN (SELECT id FROM accounts WHERE kind IN ('wallet', 'escrow', 'creator')
                                AND (owner_id = $1 OR owner_id LIKE $2 || '-fan-%'))
         GROUP BY e.account_id) s
       WHERE a.id = s.account_id`,
      [inboxId, handle],
    );
    progress('balances');
  });

  return {
    inboxId,
    handle,
    creator: { id: ownerId, email, password },
    messages: total,
    fans: fanCount,
    feedHead,
    ms: Date.now() - started,
  };
}

/**
 * Foreign keys are enforced by per-row triggers; the bulk rows are built from rows written
 * in the same transaction, so checking each of a million references again is pure cost.
 */
async function skipForeignKeyChecks(tx: Tx): Promise<void> {
  // Only a superuser may; elsewhere the checks simply stay on.
  await tx.savepoint(() => tx.sql.query('SET LOCAL session_replication_role = replica')).catch(() => undefined);
}

async function lockFeedHead(tx: Tx, inboxId: string): Promise<number> {
  const rows = await tx.sql.query<{ feed_head: number }>('SELECT feed_head FROM inboxes WHERE id = $1 FOR UPDATE', [
    inboxId,
  ]);
  return rows[0]?.feed_head ?? 0;
}

async function advanceFeedHead(tx: Tx, inboxId: string, base: number, written: number): Promise<number> {
  await tx.sql.query('UPDATE inboxes SET feed_head = $2 WHERE id = $1', [inboxId, base + written]);
  return base + written;
}

/** Feed entries for the chunk's messages, each the entity's final state, numbered after `$1`. */
const FEED_SQL = `
WITH chunk AS (
  SELECT c.*, u.display_name AS fan_name, d.display_name AS decided_name
  FROM bulk_chunk c JOIN users u ON u.id = c.fan_id LEFT JOIN users d ON d.id = c.decided_by),
entries AS (
  SELECT 1 AS part, c.paid_at AS at, c.paid_at AS sort_at, c.id AS sort_id, 'ledger' AS kind, 'hold-' || c.id AS entity_id,
    jsonb_build_object(
      'id', 'hold-' || c.id, 'kind', 'hold', 'messageId', c.id, 'fanId', c.fan_id,
      'gross', jsonb_build_object('minor', c.price_minor, 'currency', c.currency),
      'fee', jsonb_build_object('minor', 0, 'currency', c.currency),
      'net', jsonb_build_object('minor', 0, 'currency', c.currency), 'actorId', c.fan_id, 'at', c.paid_at) AS data
  FROM chunk c
  UNION ALL
  SELECT 2, COALESCE(c.decided_at, c.paid_at), c.paid_at, c.id, 'message', c.id, jsonb_build_object(
    'id', c.id, 'inboxId', c.inbox_id, 'fanId', c.fan_id, 'fanName', c.fan_name, 'body', c.body,
    'price', jsonb_build_object('minor', c.price_minor, 'currency', c.currency), 'feeBps', c.fee_bps,
    'fee', jsonb_build_object('minor', c.fee_minor, 'currency', c.currency),
    'net', jsonb_build_object('minor', c.net_minor, 'currency', c.currency), 'status', c.status,
    'paidAt', c.paid_at, 'deadline', c.deadline, 'decidedAt', c.decided_at,
    'decidedBy', CASE WHEN c.decided_by IS NULL THEN NULL
                      ELSE jsonb_build_object('id', c.decided_by, 'name', c.decided_name) END,
    'refundReason', c.refund_reason, 'noteToFan', c.note_to_fan)
  FROM chunk c
  UNION ALL
  SELECT 3, COALESCE(c.decided_at, c.paid_at), c.paid_at, c.id, 'triage', c.id, jsonb_build_object(
    'messageId', c.id, 'read', c.status <> 'pending', 'starred', false, 'archived', c.status <> 'pending',
    'labels', '[]'::jsonb, 'snoozedUntil', NULL, 'assigneeId', NULL, 'updatedAt', COALESCE(c.decided_at, c.paid_at))
  FROM chunk c
  UNION ALL
  SELECT 4, c.decided_at, c.paid_at, c.id, 'ledger', 'settle-' || c.id, jsonb_build_object(
    'id', 'settle-' || c.id,
    'kind', CASE c.status WHEN 'accepted' THEN 'capture' WHEN 'refunded' THEN 'refund' ELSE 'expire' END,
    'messageId', c.id, 'fanId', c.fan_id,
    'gross', jsonb_build_object('minor', c.price_minor, 'currency', c.currency),
    'fee', jsonb_build_object('minor', CASE WHEN c.status = 'accepted' THEN c.fee_minor ELSE 0 END, 'currency', c.currency),
    'net', jsonb_build_object('minor', CASE WHEN c.status = 'accepted' THEN c.net_minor ELSE 0 END, 'currency', c.currency),
    'actorId', c.decided_by, 'at', c.decided_at)
  FROM chunk c WHERE c.status <> 'pending'
  UNION ALL
  SELECT 5, c.decided_at, c.paid_at, c.id, 'reply', c.id || '-r', jsonb_build_object(
    'id', c.id || '-r', 'messageId', c.id, 'authorId', c.decided_by, 'authorName', c.decided_name,
    'body', r.body, 'createdAt', c.decided_at)
  FROM chunk c JOIN replies r ON r.id = c.id || '-r'),
numbered AS (
  SELECT $1::bigint + row_number() OVER (ORDER BY sort_at, sort_id, part) AS seq, * FROM entries),
written AS (
  INSERT INTO changes (inbox_id, seq, kind, entity_id, at, data)
  SELECT (SELECT inbox_id FROM bulk_chunk LIMIT 1), seq, kind, entity_id, at, data FROM numbered RETURNING 1)
SELECT count(*)::int AS n FROM written`;
