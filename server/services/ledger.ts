import { randomUUID } from 'node:crypto';
import { preferGenericPlans } from '../db/database';
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
  const [row] = await postAll(tx, [posting]);
  if (!row) throw new Error('A posting wrote no ledger transaction');
  if (posting.inboxId && row.kind !== 'topup') tx.change(posting.inboxId, 'ledger', row.id, toLedgerEvent(row));
  return row;
}

/** How much one account moves, and in which currency (its id names it; a first credit creates it). */
interface Delta {
  readonly ref: AccountRef;
  readonly currency: string;
  amount: number;
}

/** Adds `amount` to the account's delta in `into`, starting it at 0 on the account's first movement. */
function addDelta(into: Map<string, Delta>, ref: AccountRef, currency: string, amount: number): void {
  const current = into.get(ref.id) ?? { ref, currency, amount: 0 };
  current.amount += amount;
  into.set(ref.id, current);
}

/** Each movement as its two entries, summed per account (an account's entries in one posting are one entry). */
function deltasOf(posting: Posting): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const { from, to, amount } of posting.movements) {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new Error(`Ledger movement must be positive, got ${amount}`);
    addDelta(deltas, from, posting.currency, -amount);
    addDelta(deltas, to, posting.currency, amount);
  }
  return deltas;
}

/**
 * Posts balanced transactions (one request's, or a batch's: group commit) in one statement,
 * without their feed entries (the caller queues them in its requests' order). A balance
 * moves once by the sum of the postings' entries on it: a batch's debits of one account
 * all fit exactly when their sum does, since they only take from it.
 */
export async function postAll(tx: Tx, postings: readonly Posting[]): Promise<LedgerRow[]> {
  const perPosting = postings.map(deltasOf);
  const moved = new Map<string, Delta>();
  for (const deltas of perPosting) for (const d of deltas.values()) addDelta(moved, d.ref, d.currency, d.amount);
  const all = [...moved.values()].sort((a, b) => (a.ref.id < b.ref.id ? -1 : 1));
  const tracked = all.filter((d) => !UNTRACKED.has(d.ref.kind) && d.amount !== 0);
  // Balances first, waiting for the answer, only when asked (see Tx.checkBalancesFirst): the
  // refusal then comes before anything else is written. Otherwise they move in the postings'
  // own statement below, which fails the transaction when a debit cannot be made.
  if (tx.checkBalancesFirst) await moveBalancesFirst(tx, tracked);
  const others = all.filter((d) => !tracked.includes(d));
  const rows: LedgerRow[] = postings.map((posting) => ({
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
  }));
  const entries = perPosting.flatMap((deltas, i) =>
    [...deltas.values()].filter((d) => d.amount !== 0).map((d) => ({ transactionId: rows[i]?.id, delta: d })),
  );
  const moving = tx.checkBalancesFirst ? [] : tracked;
  const debits = moving.filter((d) => d.amount < 0);
  const credits = moving.filter((d) => d.amount > 0);
  const column = <T>(pick: (row: LedgerRow, posting: Posting) => T) =>
    rows.map((r, i) => pick(r, postings[i] as Posting));
  // Planned once per connection, not on every posting (its arrays: see preferGenericPlans).
  preferGenericPlans(tx.sql);
  // One statement, sent without waiting: it goes out with the statements after it, and a
  // failure fails the transaction. In it: the balances (unless moved first) — a credited
  // account is created by its first credit; a debit moves only an existing balance that
  // stays at or above zero, and `ci_balances_moved` fails the statement unless every one
  // did — the untracked accounts (platform revenue, bank), the transactions and their
  // entries (their foreign keys are checked at the statement's end).
  tx.sql.send(
    `WITH credited AS (
       INSERT INTO accounts (id, kind, owner_id, currency, balance)
       SELECT id, kind, owner_id, currency, amount
       FROM unnest($17::text[], $18::text[], $19::text[], $20::text[], $21::bigint[]) AS c(id, kind, owner_id, currency, amount)
       ON CONFLICT (id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance),
     debited AS (
       UPDATE accounts a SET balance = a.balance + d.amount FROM unnest($22::text[], $23::bigint[]) AS d(id, amount)
       WHERE a.id = d.id AND a.balance + d.amount >= 0 RETURNING a.id),
     untracked AS (
       INSERT INTO accounts (id, kind, owner_id, currency)
       SELECT id, kind, owner_id, currency FROM unnest($13::text[], $14::text[], $15::text[], $16::text[]) AS a(id, kind, owner_id, currency)
       ON CONFLICT (id) DO NOTHING),
     t AS (
       INSERT INTO ledger_transactions (id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net, at)
       SELECT id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net, $24::bigint
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[])
         AS p(id, kind, inbox_id, message_id, fan_id, actor_id, currency, gross, fee, net)
       WHERE ci_balances_moved((SELECT count(*) FROM debited), cardinality($22::text[]))
       RETURNING id)
     INSERT INTO ledger_entries (transaction_id, account_id, amount)
     SELECT e.t, e.a, e.n FROM unnest($11::text[], $25::text[], $12::bigint[]) AS e(t, a, n) JOIN t ON t.id = e.t`,
    [
      column((r) => r.id),
      column((r) => r.kind),
      column((_r, p) => p.inboxId),
      column((r) => r.message_id),
      column((r) => r.fan_id),
      column((r) => r.actor_id),
      column((r) => r.currency),
      column((r) => r.gross),
      column((r) => r.fee),
      column((r) => r.net),
      entries.map((e) => e.transactionId),
      entries.map((e) => e.delta.amount),
      others.map((d) => d.ref.id),
      others.map((d) => d.ref.kind),
      others.map((d) => d.ref.ownerId),
      others.map((d) => d.currency),
      credits.map((d) => d.ref.id),
      credits.map((d) => d.ref.kind),
      credits.map((d) => d.ref.ownerId),
      credits.map((d) => d.currency),
      credits.map((d) => d.amount),
      debits.map((d) => d.ref.id),
      debits.map((d) => d.amount),
      tx.now,
      entries.map((e) => e.delta.ref.id),
    ],
  );
  return rows;
}

/**
 * The balances moved before the postings are written, each answer awaited: refuses with
 * insufficient_funds when a tracked account would go below zero. The accounts almost
 * always exist, so the common case is one statement; an account's first movement creates it.
 */
async function moveBalancesFirst(tx: Tx, tracked: readonly Delta[]): Promise<void> {
  const updated = await updateBalances(tx, tracked);
  if (updated.size === tracked.length) return;
  const missing = tracked.filter((d) => !updated.has(d.ref.id));
  await createAccounts(tx, missing);
  for (const id of await updateBalances(tx, missing)) updated.add(id);
  const short = tracked.find((d) => !updated.has(d.ref.id));
  if (short)
    throw new ApiError('insufficient_funds', `Not enough funds in the ${short.ref.kind} balance for this payment`);
}

/**
 * Moves the tracked balances in one statement: a row whose balance would go below zero is
 * not updated, and neither is a row that does not exist yet. Two transactions share at
 * most one such row (the fan's wallet), so no lock cycle can form here.
 */
async function updateBalances(tx: Tx, deltas: readonly Delta[]): Promise<Set<string>> {
  if (deltas.length === 0) return new Set();
  const rows = await tx.sql.query<{ id: string }>(
    `UPDATE accounts a SET balance = a.balance + d.amount
     FROM unnest($1::text[], $2::bigint[]) AS d(id, amount)
     WHERE a.id = d.id AND a.balance + d.amount >= 0 RETURNING a.id`,
    [deltas.map((d) => d.ref.id), deltas.map((d) => d.amount)],
  );
  return new Set(rows.map((r) => r.id));
}

async function createAccounts(tx: Tx, deltas: readonly Delta[]): Promise<void> {
  await tx.sql.query(
    `INSERT INTO accounts (id, kind, owner_id, currency)
     SELECT id, kind, owner_id, currency FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, kind, owner_id, currency)
     ON CONFLICT (id) DO NOTHING`,
    [
      deltas.map((d) => d.ref.id),
      deltas.map((d) => d.ref.kind),
      deltas.map((d) => d.ref.ownerId),
      deltas.map((d) => d.currency),
    ],
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
