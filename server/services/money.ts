import { randomUUID } from 'node:crypto';
import { money, sumByCurrency } from '../../shared/money';
import type { RouteBody, RouteResponse } from '../../shared/protocol';
import { lockInboxAsOwner, requireFan, requireMember } from './access';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { type LedgerRow, toLedgerEvent } from './entities';
import { accounts, balancesOf, post } from './ledger';

export async function wallet(tx: Tx, actor: Actor): Promise<RouteResponse<'wallet'>> {
  const rows = await balancesOf(tx, 'wallet', actor.id);
  return { balances: rows.map((r) => money(r.balance, r.currency)) };
}

/** The simulated bank always pays: bank → fan wallet (the contract bounds the amount). */
export async function topUp(tx: Tx, actor: Actor, body: RouteBody<'topUp'>): Promise<RouteResponse<'topUp'>> {
  requireFan(actor);
  const amount = money(body.amount.minor, body.amount.currency);
  await post(tx, {
    kind: 'topup',
    currency: amount.currency,
    inboxId: null,
    messageId: null,
    fanId: actor.id,
    actorId: actor.id,
    gross: amount.minor,
    fee: 0,
    net: 0,
    movements: [
      { from: accounts.bank(amount.currency), to: accounts.wallet(actor.id, amount.currency), amount: amount.minor },
    ],
  });
  return wallet(tx, actor);
}

export async function balance(tx: Tx, actor: Actor, inboxId: string): Promise<RouteResponse<'balance'>> {
  await requireMember(tx, actor, inboxId, 'view_earnings');
  const available = await balancesOf(tx, 'creator', inboxId);
  const held = await balancesOf(tx, 'escrow', inboxId);
  const nonZero = (rows: Array<{ currency: string; balance: number }>) =>
    sumByCurrency(rows.filter((r) => r.balance > 0).map((r) => money(r.balance, r.currency)));
  return { available: nonZero(available), held: nonZero(held) };
}

export async function ledger(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  query: { from?: number | undefined; to?: number | undefined },
): Promise<RouteResponse<'ledger'>> {
  await requireMember(tx, actor, inboxId, 'view_earnings');
  const rows = await tx.sql.query<LedgerRow>(
    `SELECT id, kind, message_id, fan_id, currency, gross, fee, net, actor_id, at FROM ledger_transactions
     WHERE inbox_id = $1 AND at >= $2 AND at < $3 ORDER BY at, position LIMIT 10000`,
    [inboxId, query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER],
  );
  return { events: rows.map(toLedgerEvent) };
}

interface PayoutRow {
  id: string;
  amount_minor: number;
  currency: string;
  created_at: number;
  requested_by: string;
}

const toPayout = (row: PayoutRow) => ({
  id: row.id,
  amount: money(row.amount_minor, row.currency),
  createdAt: row.created_at,
  requestedBy: row.requested_by,
});

export async function payouts(tx: Tx, actor: Actor, inboxId: string): Promise<RouteResponse<'payouts'>> {
  await requireMember(tx, actor, inboxId, 'view_earnings');
  const rows = await tx.sql.query<PayoutRow>(
    'SELECT id, amount_minor, currency, created_at, requested_by FROM payouts WHERE inbox_id = $1 ORDER BY created_at DESC, id',
    [inboxId],
  );
  return { payouts: rows.map(toPayout) };
}

/** creator → bank; only the owner, and never more than is available. */
export async function requestPayout(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  body: RouteBody<'requestPayout'>,
): Promise<RouteResponse<'requestPayout'>> {
  await lockInboxAsOwner(tx, actor, inboxId);
  const amount = money(body.amount.minor, body.amount.currency);
  await post(tx, {
    kind: 'payout',
    currency: amount.currency,
    inboxId,
    messageId: null,
    fanId: null,
    actorId: actor.id,
    gross: amount.minor,
    fee: 0,
    net: 0,
    movements: [
      { from: accounts.creator(inboxId, amount.currency), to: accounts.bank(amount.currency), amount: amount.minor },
    ],
  });
  const row: PayoutRow = {
    id: randomUUID(),
    amount_minor: amount.minor,
    currency: amount.currency,
    created_at: tx.now,
    requested_by: actor.id,
  };
  await tx.sql.query(
    'INSERT INTO payouts (id, inbox_id, amount_minor, currency, requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, inboxId, row.amount_minor, row.currency, row.requested_by, row.created_at],
  );
  await audit(tx, inboxId, actor, 'payout.request', row.id, { amount });
  return toPayout(row);
}
