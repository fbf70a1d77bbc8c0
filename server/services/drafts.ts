import { randomUUID } from 'node:crypto';
import { mayApproveDrafts as mayApprove, maySeeDrafts } from '../../shared/actions';
import { money } from '../../shared/money';
import type { Draft, RouteBody, RouteResponse } from '../../shared/protocol';
import { ApiError, forbidden, notFound } from '../errors';
import { lockInbox, requireMember } from './access';
import { requireAllowed } from './actions';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { lockMessage, messageActionAccess } from './messages';

/**
 * Drafts a creator approves (issue 17). A member with `draft` writes the reply; a member
 * who may accept and reply approves it by accepting the message with that reply (one money
 * action, exactly once: the accept route's idempotency and state machine), or sends it back
 * with a comment. Drafts never touch money nor the deadline, and are never shown to the fan.
 */

interface DraftRow {
  id: string;
  message_id: string;
  inbox_id: string;
  author_id: string;
  author_name: string;
  body: string;
  status: Draft['status'];
  comment: string | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  decided_by_name: string | null;
  deadline: number;
  price_minor: number;
  currency: string;
  fan_name: string;
  message_body: string;
}

const DRAFT_SELECT = `SELECT d.id, d.message_id, d.inbox_id, d.author_id, ua.display_name AS author_name, d.body,
    d.status, d.comment, d.created_at, d.decided_at, d.decided_by, ub.display_name AS decided_by_name,
    m.deadline, m.price_minor, m.currency, uf.display_name AS fan_name, m.body AS message_body
  FROM drafts d JOIN messages m ON m.id = d.message_id JOIN users ua ON ua.id = d.author_id
    JOIN users uf ON uf.id = m.fan_id LEFT JOIN users ub ON ub.id = d.decided_by`;

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    messageId: row.message_id,
    inboxId: row.inbox_id,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    status: row.status,
    comment: row.comment,
    createdAt: Number(row.created_at),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    decidedBy: row.decided_by ? { id: row.decided_by, name: row.decided_by_name ?? '' } : null,
    deadline: Number(row.deadline),
    price: money(Number(row.price_minor), row.currency),
    fanName: row.fan_name,
    messageBody: row.message_body,
  };
}

async function loadDraft(tx: Tx, draftId: string): Promise<Draft> {
  const rows = await tx.sql.query<DraftRow>(`${DRAFT_SELECT} WHERE d.id = $1`, [draftId]);
  if (!rows[0]) throw notFound('Draft');
  return toDraft(rows[0]);
}

/** Every change to a draft goes on the feed, so the app keeps drafts offline and sees them settle. */
async function announceDraft(tx: Tx, draftId: string): Promise<Draft> {
  const draft = await loadDraft(tx, draftId);
  tx.change(draft.inboxId, 'draft', draft.id, draft);
  return draft;
}

export async function submitDraft(
  tx: Tx,
  actor: Actor,
  messageId: string,
  body: RouteBody<'submitDraft'>,
): Promise<RouteResponse<'submitDraft'>> {
  const action = { kind: 'draft' as const, body: body.body };
  const { access, inboxId } = await messageActionAccess(tx, actor, messageId, action);
  const row = await lockMessage(tx, messageId);
  requireAllowed(access, action, row, tx.now);
  // One open draft per message: a newer one replaces it (the unique index drafts_open_once).
  const superseded = await tx.sql.query<{ id: string }>(
    `UPDATE drafts SET status = 'superseded', decided_at = $2, decided_by = $3 WHERE message_id = $1 AND status = 'pending'
     RETURNING id`,
    [messageId, tx.now, actor.id],
  );
  for (const old of superseded) await announceDraft(tx, old.id);
  const id = randomUUID();
  await tx.sql.query(
    `INSERT INTO drafts (id, message_id, inbox_id, author_id, body, status, created_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6)`,
    [id, messageId, inboxId, actor.id, body.body, tx.now],
  );
  await audit(tx, inboxId, actor, 'draft.submit', messageId, { draftId: id });
  return announceDraft(tx, id);
}

/** Open drafts of pending messages, the soonest deadline first; and my drafts sent back to me. */
export async function listDrafts(tx: Tx, actor: Actor, inboxId: string): Promise<RouteResponse<'drafts'>> {
  const access = await requireMember(tx, actor, inboxId);
  if (!maySeeDrafts(access)) {
    throw forbidden('You need the draft permission, or accept and reply, to see drafts');
  }
  const rows = await tx.sql.query<DraftRow>(
    `${DRAFT_SELECT} WHERE d.inbox_id = $1 AND m.status = 'pending' AND m.deadline > $3
       AND (d.status = 'pending' OR (d.status = 'sent_back' AND d.author_id = $2))
     ORDER BY m.deadline, d.id LIMIT 500`,
    [inboxId, actor.id, tx.now],
  );
  return { drafts: rows.map(toDraft) };
}

/** Who may send back this draft, its inbox locked first (also asked before an idempotent replay). */
export async function draftAccess(tx: Tx, actor: Actor, draftId: string) {
  const rows = await tx.sql.query<{ inbox_id: string }>('SELECT inbox_id FROM drafts WHERE id = $1', [draftId]);
  if (!rows[0]) throw notFound('Draft');
  await lockInbox(tx, rows[0].inbox_id);
  const access = await requireMember(tx, actor, rows[0].inbox_id);
  if (!mayApprove(access)) throw forbidden('You need the accept and reply permissions to send a draft back');
  return access;
}

export async function sendBackDraft(
  tx: Tx,
  actor: Actor,
  draftId: string,
  body: RouteBody<'sendBackDraft'>,
): Promise<RouteResponse<'sendBackDraft'>> {
  const access = await draftAccess(tx, actor, draftId);
  const draft = await loadDraft(tx, draftId);
  if (draft.status !== 'pending') {
    const who = draft.decidedBy ? ` by ${draft.decidedBy.name}` : '';
    throw new ApiError('conflict', `This draft was already ${draft.status.replace('_', ' ')}${who}`, {
      status: draft.status,
      decidedAt: draft.decidedAt,
      decidedBy: draft.decidedBy,
    });
  }
  await tx.sql.query(
    `UPDATE drafts SET status = 'sent_back', comment = $2, decided_at = $3, decided_by = $4 WHERE id = $1`,
    [draftId, body.comment, tx.now, actor.id],
  );
  await audit(tx, access.inboxId, actor, 'draft.sendBack', draft.messageId, { draftId, draftedBy: draft.authorId });
  return announceDraft(tx, draftId);
}

/**
 * Called by accept-with-reply under the message lock: the open draft, if any, is approved
 * by the accepter. Returns what the accept's audit row records: who drafted, whether edited.
 */
export async function approveOpenDraft(
  tx: Tx,
  actor: Actor,
  messageId: string,
  reply: string,
): Promise<{ draftId: string; draftedBy: string; draftedByName: string; edited: boolean } | null> {
  const rows = await tx.sql.query<{ id: string; author_id: string; body: string; author_name: string }>(
    `UPDATE drafts d SET status = 'approved', decided_at = $2, decided_by = $3
     FROM users u WHERE d.message_id = $1 AND d.status = 'pending' AND u.id = d.author_id
     RETURNING d.id, d.author_id, d.body, u.display_name AS author_name`,
    [messageId, tx.now, actor.id],
  );
  const row = rows[0];
  if (!row) return null;
  await announceDraft(tx, row.id);
  return { draftId: row.id, draftedBy: row.author_id, draftedByName: row.author_name, edited: row.body !== reply };
}
