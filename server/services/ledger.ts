import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors';
import type { Tx } from './context';
import { type LedgerRow, toLedgerEvent } from './entities';

/**
 * The double-entry ledger. Every money event is one balanced transaction; balances of
 * wallets, escrow and creators live on their account rows and can never go negative
 * (checked here and by a constraint). Account ids are derived, so posting never looks
 * them up first.
 */

export type AccountKind = 'wallet' | 'escrow' | 'creator' | 'platform' | 'bank';

export interface AccountRef {
  readonly id: string;
  readonly kind: AccountKind;
  readonly ownerId: string | null;
}

export const accounts = {
  wallet: (userId: string, currency: string): AccountRef => ({
    id: `wallet:${userId}:${currency}`,
    kind: 'wallet',
    ownerId: userId,
  }),
  escrow: (inboxId: string, currency: string): AccountRef => ({
    id: `escrow:${inboxId}:${currency}`,
    kind: 'escrow',
    ownerId: inboxId,
  }),
  creator: (inboxId: string, currency: string): AccountRef => ({
    id: `creator:${inboxId}:${currency}`,
    kind: 'creator',
    ownerId: inboxId,
  }),
  platform: (currency: string): AccountRef => ({ id: `platform:${currency}`, kind: 'platform', ownerId: null }),
  bank: (currency: string): AccountRef => ({ id: `bank:${currency}`, kind: 'bank', ownerId: null }),
};

/** Balances of these are sums of entries, never a row every payment would lock. */
const UNTRACKED: ReadonlySet<AccountKind> = new Set(['platform', 'bank']);

export interface Movement {
  readonly from: AccountRef;
  readonly to: AccountRef;
  readonly amount: number;
}

export interface Posting {
  kind: LedgerRow['kind'];
  currency: string;
  inboxId: string | null;
  messageId: string | null;
  fanId: string | null;
  actorId: string | null;
  gross: number;
  fee: number;
  net: number;
  movements: readonly Movement[];
}

/**
 * Posts one balanced transaction. Refuses with insufficient_funds (and so rolls the whole
 * request back) when any tracked account would go below zero.
 */
export async function post(tx: Tx, posting: Posting): Promise<LedgerRow> {
  const deltas = new Map<string, { ref: AccountRef; amount: number }>();
  for (const { from, to, amount } of posting.movements) {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new Error(`Ledger movement must be positive, got ${amount}`);
    for (const [ref, signed] of [
      [from, -amount],
      [to, amount],
    ] as const) {
      const current = deltas.get(ref.id) ?? { ref, amount: 0 };
      current.amount += signed;
      deltas.set(ref.id, current);
    }
  }
  const refs = [...deltas.values()].map((d) => d.ref).sort((a, b) => (a.id < b.id ? -1 : 1));
  const tracked = refs.filter((r) => !UNTRACKED.has(r.kind) && (deltas.get(r.id)?.amount ?? 0) !== 0);
  // Balances first, waiting for the answer, only when asked (see Tx.checkBalancesFirst): the
  // refusal then comes before anything else is written. Otherwise they move in the posting's
  // own statement below, which fails the transaction when a debit cannot be made.
  if (tx.checkBalancesFirst) await moveBalancesFirst(tx, tracked, deltas, posting.currency);
  const others = refs.filter((r) => !tracked.includes(r));
  const row: LedgerRow = {
    id: randomUUID(),
    kind: posting.kind,
    message_id: posting.messageId,
    fan_id: posting.fanId,
    currency: posting.currency,
    gross: posting.gross,
    fee: posting.fee,
    net: posting.net,
    actor_id: posting.actorId,
    at: tx.now,
  };
  const entries = [...deltas.values()].filter((d) => d.amount !== 0);
  const moving = tx.checkBalancesFirst ? [] : tracked;
  const debits = moving.filter((r) => (deltas.get(r.id)?.amount ?? 0) < 0);
  const credits = moving.filter((r) => (deltas.get(r.id)?.amount ?? 0) > 0);
  // One statement, sent without waiting: it goes out with the statements after it, and a
  // failure fails the transaction. In it: the balances (unless moved first) — a credited
  // account is created by its first credit; a debit moves only an existing balance that
  // stays at or above zero, and `ci_balances_moved` fails the statement unless every one
  // did — the untracked accounts (platform revenue, bank), the transaction and its entries
  // (their foreign keys are checked at the statement's end).
  tx.sql.send(
    `WITH credited AS (
       INSERT INTO accounts (id, kind, owner_id, currency, balance)
       SELECT id, kind, owner_id, $7, amount FROM unnest($17::text[], $18::text[], $19::text[], $20::bigint[]) AS c(id, kind, owner_id, amount)
       ON CONFLICT (id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance),
     debited AS (
       UPDATE accounts a SET balance = a.balance + d.amount FROM unnest($21::text[], $22::bigint[]) AS d(id, amount)
       WHERE a.id = d.id AND a.balance + d.amount >= 0 RETURNING a.id),
     untracked AS (
       INSERT INTO accounts (id, kind, owner_id, currency)
       SELECT id, kind, owner_id, $7 FROM unnest($14::text[], $15::text[], $16::text[]) AS a(id, kind, owner_id)
       ON CONFLICT (id) DO NOTHING),
     t AS (
       INSERT INTO ledger_transactions (id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net, at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::bigint, $9::bigint, $10::bigint, $11::bigint
       WHERE ci_balances_moved((SELECT count(*) FROM debited), cardinality($21::text[]))
       RETURNING id)
     INSERT INTO ledger_entries (transaction_id, account_id, amount)
     SELECT t.id, e.a, e.n FROM t, unnest($12::text[], $13::bigint[]) AS e(a, n)`,
    [
      row.id,
      row.kind,
      posting.inboxId,
      row.message_id,
      row.fan_id,
      row.actor_id,
      row.currency,
      row.gross,
      row.fee,
      row.net,
      row.at,
      entries.map((e) => e.ref.id),
      entries.map((e) => e.amount),
      others.map((r) => r.id),
      others.map((r) => r.kind),
      others.map((r) => r.ownerId),
      credits.map((r) => r.id),
      credits.map((r) => r.kind),
      credits.map((r) => r.ownerId),
      credits.map((r) => deltas.get(r.id)?.amount ?? 0),
      debits.map((r) => r.id),
      debits.map((r) => deltas.get(r.id)?.amount ?? 0),
    ],
  );
  if (posting.inboxId && row.kind !== 'topup') tx.change(posting.inboxId, 'ledger', row.id, toLedgerEvent(row));
  return row;
}

/**
 * The balances moved before the posting is written, each answer awaited: refuses with
 * insufficient_funds when a tracked account would go below zero. The accounts almost
 * always exist, so the common case is one statement; an account's first movement creates it.
 */
async function moveBalancesFirst(
  tx: Tx,
  tracked: readonly AccountRef[],
  deltas: ReadonlyMap<string, { amount: number }>,
  currency: string,
): Promise<void> {
  const updated = await updateBalances(tx, tracked, deltas);
  if (updated.size === tracked.length) return;
  const missing = tracked.filter((r) => !updated.has(r.id));
  await createAccounts(tx, missing, currency);
  for (const id of await updateBalances(tx, missing, deltas)) updated.add(id);
  const short = tracked.find((r) => !updated.has(r.id));
  if (short) throw new ApiError('insufficient_funds', `Not enough funds in the ${short.kind} balance for this payment`);
}

/**
 * Moves the tracked balances in one statement: a row whose balance would go below zero is
 * not updated, and neither is a row that does not exist yet. Two transactions share at
 * most one such row (the fan's wallet), so no lock cycle can form here.
 */
async function updateBalances(
  tx: Tx,
  refs: readonly AccountRef[],
  deltas: ReadonlyMap<string, { amount: number }>,
): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await tx.sql.query<{ id: string }>(
    `UPDATE accounts a SET balance = a.balance + d.amount
     FROM unnest($1::text[], $2::bigint[]) AS d(id, amount)
     WHERE a.id = d.id AND a.balance + d.amount >= 0 RETURNING a.id`,
    [refs.map((r) => r.id), refs.map((r) => deltas.get(r.id)?.amount ?? 0)],
  );
  return new Set(rows.map((r) => r.id));
}

async function createAccounts(tx: Tx, refs: readonly AccountRef[], currency: string): Promise<void> {
  await tx.sql.query(
    `INSERT INTO accounts (id, kind, owner_id, currency)
     SELECT id, kind, owner_id, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, kind, owner_id)
     ON CONFLICT (id) DO NOTHING`,
    [refs.map((r) => r.id), refs.map((r) => r.kind), refs.map((r) => r.ownerId), currency],
  );
}

export async function balancesOf(
  tx: Tx,
  kind: AccountKind,
  ownerId: string,
): Promise<Array<{ currency: string; balance: number }>> {
  return tx.sql.query<{ currency: string; balance: number }>(
    'SELECT currency, balance FROM accounts WHERE kind = $1 AND owner_id = $2 ORDER BY currency',
    [kind, ownerId],
  );
}
