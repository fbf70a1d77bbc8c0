/**
 * Per-fan terms (#18): the owner, or a member with `manage_fans`, gives a fan a free pass or
 * a personal price in their inbox, and takes it back. What a fan is offered — their own
 * terms, else the inbox's tiers — is decided here, for the fan's view and for the send.
 */
import { tiersOf } from '../../shared/message';
import type { Fan, FanTerms, InboxSettings } from '../../shared/protocol';
import { ApiError, notFound } from '../errors';
import { type Access, lockInboxAs } from './access';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { loadFan } from './entities';

/** Owners and members with `manage_fans`, read after the inbox lock. */
export function fanTermsAccess(tx: Tx, actor: Actor, inboxId: string): Promise<Access> {
  return lockInboxAs(tx, actor, inboxId, 'manage_fans');
}

async function requireFanAccount(tx: Tx, inboxId: string, fanId: string): Promise<void> {
  const rows = await tx.sql.query<{ kind: string; member: boolean }>(
    `SELECT u.kind, EXISTS (SELECT 1 FROM members m WHERE m.inbox_id = $1 AND m.user_id = u.id AND m.active) AS member
     FROM users u WHERE u.id = $2`,
    [inboxId, fanId],
  );
  const row = rows[0];
  if (row?.kind !== 'fan') throw notFound('Fan');
  if (row.member) throw new ApiError('conflict', 'Members of the inbox do not pay to write to it');
}

export async function setFanTerms(tx: Tx, actor: Actor, inboxId: string, fanId: string, terms: FanTerms): Promise<Fan> {
  await fanTermsAccess(tx, actor, inboxId);
  await requireFanAccount(tx, inboxId, fanId);
  if (terms.kind === 'price') {
    const currency = await tx.sql.query<{ currency: string }>('SELECT currency FROM inboxes WHERE id = $1', [inboxId]);
    if (currency[0]?.currency !== terms.price.currency) {
      throw new ApiError('invalid_request', "A personal price must be in the inbox's currency", {
        field: 'price',
        currency: currency[0]?.currency,
      });
    }
  }
  const price = terms.kind === 'price' ? terms.price : null;
  await tx.sql.query(
    `INSERT INTO fan_terms (inbox_id, fan_id, kind, price_minor, currency, set_by, set_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (inbox_id, fan_id) DO UPDATE SET kind = excluded.kind, price_minor = excluded.price_minor,
       currency = excluded.currency, set_by = excluded.set_by, set_at = excluded.set_at`,
    [inboxId, fanId, terms.kind, price?.minor ?? null, price?.currency ?? null, actor.id, tx.now],
  );
  const { fan } = await fanChanged(tx, inboxId, fanId);
  await audit(tx, inboxId, actor, 'fan.terms', fanId, {
    fanName: fan.displayName,
    kind: terms.kind,
    ...(price ? { price } : {}),
  });
  return fan;
}

/** The fan's card changed in this inbox: read it once and put it on the feed (`seq`: see tx.change). */
export async function fanChanged(tx: Tx, inboxId: string, fanId: string): Promise<{ fan: Fan; seq: number | null }> {
  const fan = await loadFan(tx.sql, inboxId, fanId);
  return { fan, seq: tx.change(inboxId, 'fan', fanId, fan) };
}

/** Deletes what this inbox keeps about a fan in `table` (a block, their own terms); false if there was none. */
export async function deleteFanRow(
  tx: Tx,
  table: 'blocks' | 'fan_terms',
  inboxId: string,
  fanId: string,
): Promise<boolean> {
  const removed = await tx.sql.query(`DELETE FROM ${table} WHERE inbox_id = $1 AND fan_id = $2 RETURNING fan_id`, [
    inboxId,
    fanId,
  ]);
  return removed.length > 0;
}

export async function clearFanTerms(tx: Tx, actor: Actor, inboxId: string, fanId: string): Promise<Fan> {
  await fanTermsAccess(tx, actor, inboxId);
  if (!(await deleteFanRow(tx, 'fan_terms', inboxId, fanId))) throw notFound('Terms for this fan');
  const { fan } = await fanChanged(tx, inboxId, fanId);
  await audit(tx, inboxId, actor, 'fan.terms', fanId, { fanName: fan.displayName, kind: 'cleared' });
  return fan;
}

export interface Offer {
  /** What the fan may send: each a price (zero on a free pass) and a response window. */
  readonly tiers: Array<{ price: InboxSettings['price']; responseWindowMs: number }>;
  readonly personal: 'free' | 'price' | null;
}

/**
 * What this fan is offered in this inbox. Their own terms win over the tiers and keep the
 * standard response window: a free pass is a zero price, a personal price replaces every tier.
 */
export function offerFor(settings: InboxSettings, own: FanTerms | null): Offer {
  const window = settings.responseWindowMs;
  if (own?.kind === 'free') {
    const nothing = { minor: 0, currency: settings.price.currency };
    return { tiers: [{ price: nothing, responseWindowMs: window }], personal: 'free' };
  }
  if (own?.kind === 'price') return { tiers: [{ price: own.price, responseWindowMs: window }], personal: 'price' };
  return { tiers: tiersOf(settings), personal: null };
}
