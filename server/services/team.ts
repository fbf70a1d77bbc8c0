import { randomInt, randomUUID } from 'node:crypto';
import { INVITATION_TTL_MS, type Permission, type RouteBody, type RouteResponse } from '../../shared/protocol';
import { hashToken } from '../auth/tokens';
import { ApiError, notFound } from '../errors';
import { lockInbox, lockInboxAs, lockInboxAsOwner, requireMember } from './access';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { loadMember, MEMBER_SELECT, toMember } from './entities';

interface InvitationRow {
  id: string;
  inbox_id: string;
  email: string;
  permissions: Permission[];
  created_at: number;
  accepted_at: number | null;
  expires_at: number;
}

const INVITATION_COLUMNS = 'id, inbox_id, email, permissions, created_at, accepted_at, expires_at';
/** Open: neither accepted, cancelled nor lapsed (as of $now). */
const OPEN = (alias: string, now: string) =>
  `${alias}accepted_at IS NULL AND ${alias}revoked_at IS NULL AND ${alias}expires_at > ${now}`;

/** 12 characters from an alphabet without look-alikes (no I, L, O, U): 60 bits, read out as XXXX-XXXX-XXXX. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function newInvitationCode(): string {
  return Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}
const readable = (code: string) => code.match(/.{4}/g)?.join('-') ?? code;

const toInvitation = (row: InvitationRow) => ({
  id: row.id,
  inboxId: row.inbox_id,
  email: row.email,
  permissions: row.permissions,
  createdAt: row.created_at,
  acceptedAt: row.accepted_at,
  expiresAt: row.expires_at,
});

const uniquePermissions = (list: readonly Permission[]): Permission[] => [...new Set(list)].sort();

export async function members(tx: Tx, actor: Actor, inboxId: string): Promise<RouteResponse<'members'>> {
  const access = await requireMember(tx, actor, inboxId);
  const rows = await tx.sql.query<Parameters<typeof toMember>[0]>(
    `${MEMBER_SELECT} WHERE mb.inbox_id = $1 ORDER BY mb.role DESC, mb.created_at`,
    [inboxId],
  );
  // Pending invitations name people who have not joined yet: only the owner sees them.
  const invitations =
    access.role === 'owner'
      ? await tx.sql.query<InvitationRow>(
          `SELECT ${INVITATION_COLUMNS} FROM invitations WHERE inbox_id = $1 AND ${OPEN('', '$2')} ORDER BY created_at`,
          [inboxId, tx.now],
        )
      : [];
  return { members: rows.map(toMember), invitations: invitations.map(toInvitation) };
}

export async function invite(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  body: RouteBody<'invite'> & { email: string },
): Promise<RouteResponse<'invite'>> {
  await lockInboxAsOwner(tx, actor, inboxId);
  // A lapsed invitation no longer counts as open: the owner may invite the same person again.
  await tx.sql.query(
    `UPDATE invitations SET revoked_at = expires_at
     WHERE inbox_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= $3`,
    [inboxId, body.email, tx.now],
  );
  const row: InvitationRow = {
    id: randomUUID(),
    inbox_id: inboxId,
    email: body.email,
    permissions: uniquePermissions(body.permissions),
    created_at: tx.now,
    accepted_at: null,
    expires_at: tx.now + INVITATION_TTL_MS,
  };
  const code = newInvitationCode();
  // One open invitation per (inbox, email): the unique index says so (invitations_open_once → 409).
  await tx.sql.query(
    `INSERT INTO invitations (id, inbox_id, email, permissions, invited_by, created_at, expires_at, code_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, inboxId, row.email, row.permissions, actor.id, row.created_at, row.expires_at, hashToken(code)],
  );
  await audit(tx, inboxId, actor, 'team.invite', row.id, { email: row.email, permissions: row.permissions });
  return { ...toInvitation(row), code: readable(code) };
}

export async function cancelInvitation(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  invitationId: string,
): Promise<{ ok: true }> {
  await lockInboxAsOwner(tx, actor, inboxId);
  const rows = await tx.sql.query<{ email: string }>(
    `UPDATE invitations SET revoked_at = $3 WHERE id = $1 AND inbox_id = $2 AND ${OPEN('', '$3')} RETURNING email`,
    [invitationId, inboxId, tx.now],
  );
  if (!rows[0]) throw notFound('Open invitation');
  await audit(tx, inboxId, actor, 'team.cancelInvitation', invitationId, { email: rows[0].email });
  return { ok: true };
}

export async function myInvitations(tx: Tx, actor: Actor): Promise<RouteResponse<'myInvitations'>> {
  const rows = await tx.sql.query<InvitationRow>(
    `SELECT ${INVITATION_COLUMNS.split(', ')
      .map((c) => `i.${c}`)
      .join(', ')} FROM invitations i JOIN users u ON u.email = i.email
     WHERE u.id = $1 AND ${OPEN('i.', '$2')} ORDER BY i.created_at`,
    [actor.id, tx.now],
  );
  return { invitations: rows.map(toInvitation) };
}

/**
 * Joins the inbox: the invitation must be addressed to the caller's email AND come with
 * its own code, still open (not accepted, cancelled or lapsed) — read after the inbox lock,
 * so an owner cancelling it meanwhile wins.
 */
export async function acceptInvitation(
  tx: Tx,
  actor: Actor,
  invitationId: string,
  body: RouteBody<'acceptInvitation'>,
): Promise<RouteResponse<'acceptInvitation'>> {
  const inboxes = await tx.sql.query<{ inbox_id: string }>('SELECT inbox_id FROM invitations WHERE id = $1', [
    invitationId,
  ]);
  if (!inboxes[0]) throw notFound('Invitation');
  await lockInbox(tx, inboxes[0].inbox_id);
  const rows = await tx.sql.query<
    InvitationRow & { handle: string; creator_name: string; owner_id: string; code_hash: string | null }
  >(
    `SELECT i.id, i.inbox_id, i.email, i.permissions, i.created_at, i.accepted_at, i.expires_at, i.code_hash,
            ib.handle, ib.owner_id, o.display_name AS creator_name
     FROM invitations i JOIN users u ON u.email = i.email JOIN inboxes ib ON ib.id = i.inbox_id
     JOIN users o ON o.id = ib.owner_id
     WHERE i.id = $1 AND u.id = $2 AND i.revoked_at IS NULL`,
    [invitationId, actor.id],
  );
  const invitation = rows[0];
  // Someone else's invitation, or a wrong code: the same answer, so neither can be probed.
  if (!invitation || invitation.code_hash === null || invitation.code_hash !== hashToken(body.code)) {
    throw notFound('Invitation');
  }
  if (invitation.accepted_at !== null) throw new ApiError('conflict', 'This invitation was already accepted');
  if (invitation.expires_at <= tx.now) throw new ApiError('conflict', 'This invitation has expired; ask for a new one');
  if (invitation.owner_id === actor.id) throw new ApiError('conflict', 'You already own this inbox');
  await tx.sql.query('UPDATE invitations SET accepted_at = $2 WHERE id = $1', [invitationId, tx.now]);
  await tx.sql.query(
    `INSERT INTO members (inbox_id, user_id, role, permissions, active, created_at) VALUES ($1, $2, 'manager', $3, true, $4)
     ON CONFLICT (inbox_id, user_id) DO UPDATE SET permissions = EXCLUDED.permissions, active = true`,
    [invitation.inbox_id, actor.id, invitation.permissions, tx.now],
  );
  const member = await loadMember(tx.sql, invitation.inbox_id, actor.id);
  tx.change(invitation.inbox_id, 'member', actor.id, member);
  await audit(tx, invitation.inbox_id, actor, 'team.join', actor.id, { permissions: invitation.permissions });
  return {
    inboxId: invitation.inbox_id,
    handle: invitation.handle,
    creatorName: invitation.creator_name,
    role: 'manager',
    permissions: member.permissions,
  };
}

/** After joining, the answer to an accepted invitation is theirs only while they still work there. */
export async function invitationAccess(tx: Tx, actor: Actor, invitationId: string): Promise<unknown> {
  const rows = await tx.sql.query<{ inbox_id: string }>('SELECT inbox_id FROM invitations WHERE id = $1', [
    invitationId,
  ]);
  if (!rows[0]) throw notFound('Invitation');
  return lockInboxAs(tx, actor, rows[0].inbox_id);
}

async function requireManager(tx: Tx, inboxId: string, userId: string): Promise<void> {
  const rows = await tx.sql.query<{ role: string }>('SELECT role FROM members WHERE inbox_id = $1 AND user_id = $2', [
    inboxId,
    userId,
  ]);
  if (!rows[0]) throw notFound('Member');
  if (rows[0].role === 'owner') throw new ApiError('conflict', 'The owner’s access cannot be changed');
}

export async function setPermissions(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  userId: string,
  body: RouteBody<'setPermissions'>,
): Promise<RouteResponse<'setPermissions'>> {
  await lockInboxAsOwner(tx, actor, inboxId);
  await requireManager(tx, inboxId, userId);
  const permissions = uniquePermissions(body.permissions);
  await tx.sql.query('UPDATE members SET permissions = $3 WHERE inbox_id = $1 AND user_id = $2', [
    inboxId,
    userId,
    permissions,
  ]);
  const member = await loadMember(tx.sql, inboxId, userId);
  tx.change(inboxId, 'member', userId, member);
  await audit(tx, inboxId, actor, 'team.permissions', userId, { permissions });
  return member;
}

/**
 * The owner sets a manager's money limits. They are kept in the inbox's currency: a limit
 * in another one could never be compared with a price, so it is refused as written.
 */
export async function setLimits(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  userId: string,
  body: RouteBody<'setLimits'>,
): Promise<RouteResponse<'setLimits'>> {
  await lockInboxAsOwner(tx, actor, inboxId);
  await requireManager(tx, inboxId, userId);
  const rows = await tx.sql.query<{ currency: string }>('SELECT currency FROM inboxes WHERE id = $1', [inboxId]);
  const currency = rows[0]?.currency ?? null;
  for (const amount of [body.maxPrice, body.dailyRefund]) {
    if (amount && amount.currency !== currency) {
      throw new ApiError(
        'invalid_request',
        `Limits are set in this inbox's currency (${currency}), not ${amount.currency}`,
      );
    }
  }
  const none = body.maxPrice === null && body.dailyRefund === null;
  await tx.sql.query(
    `UPDATE members SET limits_currency = $3, max_price_minor = $4, daily_refund_minor = $5
     WHERE inbox_id = $1 AND user_id = $2`,
    [inboxId, userId, none ? null : currency, body.maxPrice?.minor ?? null, body.dailyRefund?.minor ?? null],
  );
  const member = await loadMember(tx.sql, inboxId, userId);
  tx.change(inboxId, 'member', userId, member);
  await audit(tx, inboxId, actor, 'team.limits', userId, {
    maxPrice: body.maxPrice,
    dailyRefund: body.dailyRefund,
  });
  return member;
}

/** Access ends at once: every route checks `active` on each request. */
export async function revokeMember(tx: Tx, actor: Actor, inboxId: string, userId: string): Promise<{ ok: true }> {
  await lockInboxAsOwner(tx, actor, inboxId);
  await requireManager(tx, inboxId, userId);
  await tx.sql.query('UPDATE members SET active = false WHERE inbox_id = $1 AND user_id = $2', [inboxId, userId]);
  // An open invitation would let them straight back in: removing someone cancels theirs.
  await tx.sql.query(
    `UPDATE invitations SET revoked_at = $3 WHERE inbox_id = $1 AND ${OPEN('', '$3')}
       AND email = (SELECT email FROM users WHERE id = $2)`,
    [inboxId, userId, tx.now],
  );
  tx.change(inboxId, 'member', userId, await loadMember(tx.sql, inboxId, userId));
  await audit(tx, inboxId, actor, 'team.revoke', userId);
  return { ok: true };
}
