import { mayAct, type Requirement } from '../../shared/actions';
import type { Permission } from '../../shared/protocol';
import type { Sql } from '../db/database';
import { ApiError, forbidden, notFound } from '../errors';
import type { Actor, Tx } from './context';
import type { LimitsColumns } from './limits';

export interface Access {
  readonly inboxId: string;
  readonly role: 'owner' | 'manager';
  readonly permissions: ReadonlySet<Permission>;
}

export { ALL_PERMISSIONS } from '../../shared/actions';

/**
 * The actor's place in an inbox. Someone who is not an active member learns nothing about
 * the inbox (not_found); a member without the permission is told why (forbidden).
 */
export async function requireMember(tx: Tx, actor: Actor, inboxId: string, needs?: Requirement): Promise<Access> {
  const rows = await tx.sql.query<MemberRow>(
    'SELECT role, permissions FROM members WHERE inbox_id = $1 AND user_id = $2 AND active',
    [inboxId, actor.id],
  );
  return accessFrom(rows[0], inboxId, needs);
}

interface MemberRow {
  role: 'owner' | 'manager';
  permissions: Permission[];
}

function accessFrom(row: MemberRow | undefined, inboxId: string, needs?: Requirement): Access {
  if (!row) throw notFound('Inbox');
  const access: Access = { inboxId, role: row.role, permissions: new Set(row.permissions) };
  if (needs && !mayAct(access, needs)) throw forbidden(forbiddenText(needs));
  return access;
}

export function forbiddenText(needs: Requirement): string {
  return needs === 'owner' ? 'Only the inbox owner can do this' : `You need the ${needs} permission in this inbox`;
}

export function requireOwner(tx: Tx, actor: Actor, inboxId: string): Promise<Access> {
  return requireMember(tx, actor, inboxId, 'owner');
}

/**
 * Takes the inbox's row lock. Every transaction that changes an inbox takes it first, so
 * writers of one inbox queue up here instead of deadlocking on the rows behind it.
 */
export async function lockInbox(tx: Tx, inboxId: string): Promise<void> {
  const rows = await tx.sql.query<{ feed_head: string | number }>(
    'SELECT feed_head FROM inboxes WHERE id = $1 FOR UPDATE',
    [inboxId],
  );
  const row = rows[0];
  if (!row) throw notFound('Inbox');
  tx.lockedHead(inboxId, Number(row.feed_head));
}

/**
 * Takes the inbox's lock, THEN reads the actor's access: a request that waited behind the
 * owner revoking it sees the revocation, not the access it had when it arrived.
 */
export async function lockInboxAs(tx: Tx, actor: Actor, inboxId: string, permission?: Permission): Promise<Access> {
  await lockInbox(tx, inboxId);
  return requireMember(tx, actor, inboxId, permission);
}

/** `lockInboxAs` for the owner's own actions. */
export async function lockInboxAsOwner(tx: Tx, actor: Actor, inboxId: string): Promise<Access> {
  await lockInbox(tx, inboxId);
  return requireOwner(tx, actor, inboxId);
}

/**
 * Locks the inbox a message belongs to. Sent at once and not waited for here: statements
 * sent after it run once the lock is held, in the same round trip. Resolves to the inbox's
 * id (not_found when there is no such message).
 */
export function lockInboxOfMessage(tx: Tx, messageId: string): Promise<string> {
  const locked = tx.sql.query<{ id: string; feed_head: string | number }>(
    'SELECT id, feed_head FROM inboxes WHERE id = (SELECT inbox_id FROM messages WHERE id = $1) FOR UPDATE',
    [messageId],
  );
  return locked.then((rows) => {
    const inbox = rows[0];
    if (!inbox) throw notFound('Message');
    tx.lockedHead(inbox.id, Number(inbox.feed_head));
    return inbox.id;
  });
}

/**
 * The member columns a statement reads beside others (`memberAccess` turns them into
 * access), with the member's money limits (`checkWithinLimits` reads them).
 */
export const MEMBER_COLUMNS =
  'mb.role AS member_role, mb.permissions AS member_permissions, mb.limits_currency, mb.max_price_minor, mb.daily_refund_minor';
/** Joins the active membership of the inbox of a row aliased `m`, of the user `userId` (SQL) names. */
export const memberJoin = (userId: string): string =>
  `LEFT JOIN members mb ON mb.inbox_id = m.inbox_id AND mb.user_id = ${userId} AND mb.active`;
/** Joins the actor's ($2) active membership of the inbox of a row aliased `m`. */
export const MEMBER_JOIN = memberJoin('$2');

export interface MemberColumns extends LimitsColumns {
  member_role: MemberRow['role'] | null;
  member_permissions: MemberRow['permissions'] | null;
}

/** Access from `MEMBER_COLUMNS` read under the inbox's lock; no row or no membership is not_found. */
export function memberAccess(row: MemberColumns | undefined, inboxId: string): Access {
  const member = row?.member_role ? { role: row.member_role, permissions: row.member_permissions ?? [] } : undefined;
  return accessFrom(member, inboxId);
}

/**
 * `lockInboxAs` for an action on one message, in one round trip: the lock of the message's
 * inbox and the member read are sent together, as two statements. The read is still a
 * statement of its own, run once the lock is held, so it sees a revocation that committed
 * while this request waited.
 */
export async function lockMessageInboxAs(
  tx: Tx,
  actor: Actor,
  messageId: string,
): Promise<{ access: Access; inboxId: string }> {
  const locked = lockInboxOfMessage(tx, messageId);
  const member = tx.sql.send<MemberRow>(
    'SELECT role, permissions FROM members WHERE inbox_id = (SELECT inbox_id FROM messages WHERE id = $1) AND user_id = $2 AND active',
    [messageId, actor.id],
  );
  const inboxId = await locked;
  return { access: accessFrom((await member)[0], inboxId), inboxId };
}

export async function inboxOfMessage(sql: Sql, messageId: string): Promise<string> {
  const rows = await sql.query<{ inbox_id: string }>('SELECT inbox_id FROM messages WHERE id = $1', [messageId]);
  const row = rows[0];
  if (!row) throw notFound('Message');
  return row.inbox_id;
}

export function requireFan(actor: Actor): void {
  if (actor.kind !== 'fan') throw new ApiError('forbidden', 'Only fan accounts can do this');
}
