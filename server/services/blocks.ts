import { mayAct } from '../../shared/actions';
import type { RouteBody, RouteResponse } from '../../shared/protocol';
import { ApiError, forbidden, notFound } from '../errors';
import { type Access, lockInboxAs } from './access';
import { aboutMessage, audit } from './audit';
import type { Actor, Tx } from './context';
import { deleteFanRow, fanChanged } from './fans';
import { refundPendingOf } from './messages';

/** Who may block (and refund the fan's pending messages in the same go), read after the inbox lock. */
export async function blockAccess(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  body: { refundPending: boolean },
): Promise<Access> {
  const access = await lockInboxAs(tx, actor, inboxId);
  if (body.refundPending && !mayAct(access, 'refund')) throw forbidden('You need the refund permission to refund');
  return access;
}

/** Any member may block a fan; refunding their pending messages needs the refund permission. */
export async function blockFan(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  body: RouteBody<'block'> & { refundPending: boolean },
): Promise<RouteResponse<'block'>> {
  const access = await blockAccess(tx, actor, inboxId, body);
  const fan = await tx.sql.query<{ kind: string }>('SELECT kind FROM users WHERE id = $1', [body.fanId]);
  if (!fan[0]) throw notFound('Fan');
  const member = await tx.sql.query('SELECT 1 FROM members WHERE inbox_id = $1 AND user_id = $2 AND active', [
    inboxId,
    body.fanId,
  ]);
  if (member.length > 0) throw new ApiError('conflict', 'A member of the inbox cannot be blocked');
  await tx.sql.query(
    'INSERT INTO blocks (inbox_id, fan_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (inbox_id, fan_id) DO NOTHING',
    [inboxId, body.fanId, tx.now],
  );
  const rows = body.refundPending ? await refundPendingOf(tx, actor, access, body.fanId) : [];
  const refunded = rows.map((r) => r.id);
  const { fan: view, seq } = await fanChanged(tx, inboxId, body.fanId);
  await audit(tx, inboxId, actor, 'fan.block', body.fanId, {
    fanName: view.displayName,
    refunded,
    refunds: rows.map(aboutMessage),
  });
  return seq === null ? { refunded } : { refunded, seq };
}

/**
 * Unblocking sets a state, like a PUT: a fan who is not blocked is already what was asked,
 * so it answers success and changes nothing (no feed entry, no audit entry). This lets a
 * queued unblock be sent again, or sent after another member unblocked first, without a
 * refusal the person could do nothing about. An unknown fan is still refused.
 */
export async function unblockFan(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  fanId: string,
): Promise<RouteResponse<'unblock'>> {
  await lockInboxAs(tx, actor, inboxId);
  if (!(await deleteFanRow(tx, 'blocks', inboxId, fanId))) {
    const fan = await tx.sql.query('SELECT 1 FROM users WHERE id = $1', [fanId]);
    if (fan.length === 0) throw notFound('Fan');
    return { ok: true };
  }
  const { fan: view, seq } = await fanChanged(tx, inboxId, fanId);
  await audit(tx, inboxId, actor, 'fan.unblock', fanId, { fanName: view.displayName });
  return seq === null ? { ok: true } : { ok: true, seq };
}
