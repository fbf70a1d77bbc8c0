import { randomUUID } from 'node:crypto';
import { untriaged } from '../../shared/actions';
import { deadlineFor, type MessageAction, tierIn, transition } from '../../shared/message';
import { money, splitFee } from '../../shared/money';
import type { Message, Reply, RouteBody, RouteResponse } from '../../shared/protocol';
import { preferGenericPlans } from '../db/database';
import { ApiError, forbidden } from '../errors';
import {
  type Access,
  lockInbox,
  lockInboxOfMessage,
  lockMessageInboxAs,
  MEMBER_COLUMNS,
  MEMBER_JOIN,
  type MemberColumns,
  memberAccess,
  requireFan,
} from './access';
import { apiRefusal, requireAllowed } from './actions';
import { aboutMessage, audit, auditAll, type InboxAuditEntry } from './audit';
import type { Actor, Tx } from './context';
import { approveOpenDraft } from './drafts';
import {
  loadFan,
  loadMessage,
  loadReply,
  MESSAGE_COLUMNS,
  MESSAGE_FROM,
  type MessageRow,
  REPLY_SELECT,
  toFanTerms,
  toLedgerEvent,
  toMessage,
  toReply,
  toSettings,
} from './entities';
import { offerFor } from './fans';
import { messageFor } from './feed';
import { findInboxByHandle, NOT_ACCEPTING_TEXT, notAcceptingReason } from './inbox';
import { accounts, type Posting, post, postAll } from './ledger';
import { checkWithinLimits, type LimitsColumns, requireWithinLimits } from './limits';

/**
 * Paid messages and their money. Each action that changes a message locks the inbox row
 * first, then the message row, so concurrent managers queue up and the loser sees the
 * winner's decision.
 */

export async function sendMessage(
  tx: Tx,
  actor: Actor,
  handle: string,
  body: RouteBody<'sendMessage'>,
): Promise<Message> {
  requireFan(actor);
  const inbox = await findInboxByHandle(tx, handle, true, actor.id);
  const member = await tx.sql.query('SELECT 1 FROM members WHERE inbox_id = $1 AND user_id = $2 AND active', [
    inbox.id,
    actor.id,
  ]);
  if (member.length > 0) throw forbidden('You cannot send a paid message to an inbox you work in');
  const blocked = await tx.sql.query('SELECT 1 FROM blocks WHERE inbox_id = $1 AND fan_id = $2', [inbox.id, actor.id]);
  if (blocked.length > 0) throw new ApiError('fan_blocked', 'This creator is not accepting messages from you');
  const reason = await notAcceptingReason(tx, inbox);
  if (reason) throw new ApiError('not_accepting', NOT_ACCEPTING_TEXT[reason], { reason });
  // The fan pays for one of the tiers offered to them now (their own terms win), exactly as they saw it.
  const settings = toSettings(inbox);
  const offer = offerFor(settings, toFanTerms(inbox));
  const tier = tierIn(offer.tiers, body);
  if (!tier) {
    const terms = { price: settings.price, responseWindowMs: settings.responseWindowMs, tiers: offer.tiers };
    throw new ApiError('terms_changed', 'The creator changed the price or response window; check the new terms', terms);
  }
  // A free pass: the message arrives unpaid and moves no money, ever.
  const free = offer.personal === 'free';

  const split = splitFee(money(tier.price.minor, tier.price.currency), tx.feeBps);
  const messageId = randomUUID();
  const deadline = deadlineFor(tx.now, tier.responseWindowMs);
  const firstMessage = await tx.sql.query('SELECT 1 FROM messages WHERE inbox_id = $1 AND fan_id = $2 LIMIT 1', [
    inbox.id,
    actor.id,
  ]);
  await tx.sql.query(
    `INSERT INTO messages (id, inbox_id, fan_id, body, price_minor, currency, fee_bps, fee_minor, net_minor, status, paid_at, deadline, free)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12)`,
    [
      messageId,
      inbox.id,
      actor.id,
      body.body,
      split.price.minor,
      split.price.currency,
      split.feeBps,
      split.fee.minor,
      split.net.minor,
      tx.now,
      deadline,
      free,
    ],
  );
  await tx.sql.query('INSERT INTO triage (message_id, updated_at) VALUES ($1, $2)', [messageId, tx.now]);
  if (!free)
    await post(tx, {
      kind: 'hold',
      currency: split.price.currency,
      inboxId: inbox.id,
      messageId,
      fanId: actor.id,
      actorId: actor.id,
      gross: split.price.minor,
      fee: 0,
      net: 0,
      movements: [
        {
          from: accounts.wallet(actor.id, split.price.currency),
          to: accounts.escrow(inbox.id, split.price.currency),
          amount: split.price.minor,
        },
      ],
    });
  if (firstMessage.length === 0) tx.change(inbox.id, 'fan', actor.id, await loadFan(tx.sql, inbox.id, actor.id));
  const message = await loadMessage(tx.sql, messageId);
  tx.change(inbox.id, 'message', messageId, message);
  tx.change(inbox.id, 'triage', messageId, { messageId, ...untriaged(), updatedAt: tx.now });
  return message;
}

/**
 * Who may do `action` to the message: its inbox locked FIRST, then membership and
 * permission read — a request that waited behind a revocation sees it. Also asked before
 * an idempotent replay, so access taken away ends replays too.
 */
export async function messageActionAccess(
  tx: Tx,
  actor: Actor,
  messageId: string,
  action: Parameters<typeof requireAllowed>[1],
): Promise<{ access: Access; inboxId: string }> {
  const { access, inboxId } = await lockMessageInboxAs(tx, actor, messageId);
  requireAllowed(access, action, null, tx.now);
  return { access, inboxId };
}

/**
 * `messageActionAccess` and the message row locked, in one round trip: the inbox's lock,
 * then one statement that locks the message and reads the actor's membership. That
 * statement runs once the inbox's lock is held, so it sees a revocation that committed
 * while this request waited. A refusal of access is still given before anything about
 * the message.
 */
async function lockForAction(
  tx: Tx,
  actor: Actor,
  messageId: string,
  action: Parameters<typeof requireAllowed>[1],
): Promise<{ access: Access; inboxId: string; row: MessageRow; limits: LimitsColumns }> {
  const inbox = lockInboxOfMessage(tx, messageId);
  const locked = tx.sql.send<MessageRow & MemberColumns>(
    `SELECT ${MESSAGE_COLUMNS}, ${MEMBER_COLUMNS} FROM ${MESSAGE_FROM} ${MEMBER_JOIN} WHERE m.id = $1 FOR UPDATE OF m`,
    [messageId, actor.id],
  );
  const inboxId = await inbox;
  const row = (await locked)[0];
  const access = memberAccess(row, inboxId);
  requireAllowed(access, action, null, tx.now);
  if (!row) throw new ApiError('not_found', 'Message not found');
  return { access, inboxId, row, limits: row };
}

export async function lockMessage(tx: Tx, messageId: string): Promise<MessageRow> {
  const rows = await tx.sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE m.id = $1 FOR UPDATE OF m`,
    [messageId],
  );
  const row = rows[0];
  if (!row) throw new ApiError('not_found', 'Message not found');
  return row;
}

/** The state machine's own steps (expiry) checked on the locked row, refused in the registry's words. */
function checkTransition(row: MessageRow, action: MessageAction, now: number): void {
  const result = transition(row.status, action, { now, deadline: row.deadline, free: row.free });
  if (!result.ok) throw apiRefusal({ code: result.reason, status: row.status }, row);
}

async function addReply(tx: Tx, actor: Actor, inboxId: string, messageId: string, body: string): Promise<Reply> {
  const id = randomUUID();
  await tx.sql.query('INSERT INTO replies (id, message_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)', [
    id,
    messageId,
    actor.id,
    body,
    tx.now,
  ]);
  const reply = await loadReply(tx.sql, id);
  tx.change(inboxId, 'reply', id, reply);
  return reply;
}

/** An accept its checks allowed, on its locked row of its locked inbox: what `writeAccepts` writes. */
export interface AcceptPlan {
  readonly inboxId: string;
  readonly actor: Actor;
  readonly row: MessageRow;
}

/**
 * The accept's rule on what was read under the inbox's lock (the message row, the actor's
 * membership and limits): the one place both an accept on its own and a batch of them
 * (server/http/accept-batch.ts) check it. Refusals are thrown in the order a member
 * learns them: access first, then the message, then its state, then the limits.
 */
export function checkAccept(
  access: Access,
  row: MessageRow | undefined,
  limits: LimitsColumns | undefined,
  body: RouteBody<'accept'>,
  now: number,
): MessageRow {
  const action = { kind: 'accept' as const, ...body };
  requireAllowed(access, action, null, now);
  if (!row) throw new ApiError('not_found', 'Message not found');
  requireAllowed(access, action, row, now);
  checkWithinLimits(access, limits, { kind: 'accept', currency: row.currency, prices: [row.price_minor] }, 0);
  return row;
}

/** The capture of an accepted message: escrow to the creator's net and the platform's fee. */
function capture({ inboxId, actor, row }: AcceptPlan): Posting {
  return {
    kind: 'capture',
    currency: row.currency,
    inboxId,
    messageId: row.id,
    fanId: row.fan_id,
    actorId: actor.id,
    gross: row.price_minor,
    fee: row.fee_minor,
    net: row.net_minor,
    movements: [
      ...(row.net_minor > 0
        ? [
            {
              from: accounts.escrow(inboxId, row.currency),
              to: accounts.creator(inboxId, row.currency),
              amount: row.net_minor,
            },
          ]
        : []),
      ...(row.fee_minor > 0
        ? [{ from: accounts.escrow(inboxId, row.currency), to: accounts.platform(row.currency), amount: row.fee_minor }]
        : []),
    ],
  };
}

/** A locked message row as an accept by `actor` at `now` leaves it: what `writeAccepts`' update sets. */
export function acceptedRow(row: MessageRow, actor: Actor, now: number): MessageRow {
  return { ...row, status: 'accepted', decided_at: now, decided_by: actor.id, decided_by_name: actor.displayName };
}

/**
 * The accepts' writes (one request's, or a batch's, of one inbox or of several): the
 * captures in one ledger statement, the statuses in one update, and each accept's feed
 * entries (its capture, then its message) on its inbox's feed in the plans' order.
 * Returns each accepted message, whole (the feed's copy).
 */
export async function writeAccepts(tx: Tx, plans: readonly AcceptPlan[]): Promise<Message[]> {
  // Nothing was paid on a free pass: there is nothing to capture.
  const paid = plans.filter((p) => !p.row.free);
  const captured = paid.length > 0 ? await postAll(tx, paid.map(capture)) : [];
  const captureOf = new Map(captured.map((c) => [c.message_id, c]));
  // Joins messages to arrays: planned once per connection (see preferGenericPlans).
  preferGenericPlans(tx.sql);
  tx.sql.send(
    `UPDATE messages m SET status = 'accepted', decided_at = $2, decided_by = d.actor_id
     FROM unnest($1::text[], $3::text[]) AS d(id, actor_id) WHERE m.id = d.id`,
    [plans.map((p) => p.row.id), tx.now, plans.map((p) => p.actor.id)],
  );
  return plans.map(({ inboxId, actor, row }) => {
    const posted = captureOf.get(row.id);
    if (posted) tx.change(inboxId, 'ledger', posted.id, toLedgerEvent(posted));
    // The locked row plus what the update set: no need to read it back.
    const message = toMessage(acceptedRow(row, actor, tx.now));
    tx.change(inboxId, 'message', row.id, message);
    return message;
  });
}

/** The audit entry of an accept: who accepted whose message at what price, and whether with a reply. */
export function acceptAudit(
  { inboxId, actor, row }: AcceptPlan,
  replied: boolean,
  draft: Record<string, unknown> | null,
): InboxAuditEntry {
  return {
    inboxId,
    actor,
    action: 'message.accept',
    subjectId: row.id,
    details: { ...aboutMessage(row), replied, ...draft },
  };
}

export async function acceptMessage(
  tx: Tx,
  actor: Actor,
  messageId: string,
  body: RouteBody<'accept'>,
): Promise<RouteResponse<'accept'>> {
  const action = { kind: 'accept' as const, ...body };
  const { access, inboxId, row, limits } = await lockForAction(tx, actor, messageId, action);
  const plan = { inboxId, actor, row: checkAccept(access, row, limits, body, tx.now) };
  const [message] = await writeAccepts(tx, [plan]);
  if (!message) throw new Error('An accept wrote no message');
  const reply = body.reply !== undefined ? await addReply(tx, actor, inboxId, messageId, body.reply) : null;
  // Accepting with a reply approves the message's open draft: the audit names who drafted it.
  const draft = reply ? await approveOpenDraft(tx, actor, messageId, reply.body) : null;
  auditAll(tx, [acceptAudit(plan, reply !== null, draft)]);
  // The feed holds the whole message; the answer is what this member may see of it.
  return { message: messageFor(access, message), reply };
}

/** Gives the price back to the fan: by a person (refund) or by the platform at the deadline (expire). */
async function giveBack(
  tx: Tx,
  actor: Actor | null,
  inboxId: string,
  row: MessageRow,
  how: { kind: 'refund'; reason: string; noteToFan: string | null } | { kind: 'expire' },
): Promise<Message> {
  // Nothing was paid on a free pass: declining it gives nothing back.
  if (!row.free)
    await post(tx, {
      kind: how.kind,
      currency: row.currency,
      inboxId,
      messageId: row.id,
      fanId: row.fan_id,
      actorId: actor?.id ?? null,
      gross: row.price_minor,
      fee: 0,
      net: 0,
      movements: [
        {
          from: accounts.escrow(inboxId, row.currency),
          to: accounts.wallet(row.fan_id, row.currency),
          amount: row.price_minor,
        },
      ],
    });
  tx.sql.send(
    `UPDATE messages SET status = $2, decided_at = $3, decided_by = $4, refund_reason = $5, note_to_fan = $6 WHERE id = $1`,
    [
      row.id,
      how.kind === 'refund' ? 'refunded' : 'expired',
      tx.now,
      actor?.id ?? null,
      how.kind === 'refund' ? how.reason : null,
      how.kind === 'refund' ? how.noteToFan : null,
    ],
  );
  const message = toMessage({
    ...row,
    status: how.kind === 'refund' ? 'refunded' : 'expired',
    decided_at: tx.now,
    decided_by: actor?.id ?? null,
    decided_by_name: actor?.displayName ?? null,
    refund_reason: how.kind === 'refund' ? how.reason : null,
    note_to_fan: how.kind === 'refund' ? how.noteToFan : null,
  });
  tx.change(inboxId, 'message', row.id, message);
  return message;
}

export async function refundMessage(
  tx: Tx,
  actor: Actor,
  messageId: string,
  body: RouteBody<'refund'>,
): Promise<RouteResponse<'refund'>> {
  const action = { kind: 'refund' as const, ...body };
  const { access, inboxId, row } = await lockForAction(tx, actor, messageId, action);
  requireAllowed(access, action, row, tx.now);
  await requireWithinLimits(tx, actor, access, { kind: 'refund', currency: row.currency, prices: [row.price_minor] });
  const message = await giveBack(tx, actor, inboxId, row, {
    kind: 'refund',
    reason: body.reason,
    noteToFan: body.noteToFan ?? null,
  });
  await audit(tx, inboxId, actor, 'message.refund', messageId, { ...aboutMessage(row), reason: body.reason });
  return { message: messageFor(access, message), reply: null };
}

/** Refunds every pending message of a fan in an inbox (on block); the inbox is already locked. */
export async function refundPendingOf(tx: Tx, actor: Actor, access: Access, fanId: string): Promise<MessageRow[]> {
  const inboxId = access.inboxId;
  const rows = await tx.sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
     WHERE m.inbox_id = $1 AND m.fan_id = $2 AND m.status = 'pending' ORDER BY m.id FOR UPDATE OF m`,
    [inboxId, fanId],
  );
  // The whole block is refused when its refunds would pass a limit: nothing is half done.
  for (const currency of new Set(rows.map((r) => r.currency))) {
    const prices = rows.filter((r) => r.currency === currency).map((r) => r.price_minor);
    await requireWithinLimits(tx, actor, access, { kind: 'refund', currency, prices });
  }
  for (const row of rows) {
    await giveBack(tx, actor, inboxId, row, { kind: 'refund', reason: 'other', noteToFan: null });
  }
  return rows;
}

/**
 * Expires the inbox's pending messages whose deadline has passed. Rows another process is
 * already expiring are skipped, not waited for.
 */
export async function expireDueIn(tx: Tx, inboxId: string, limit: number): Promise<number> {
  await lockInbox(tx, inboxId);
  const rows = await tx.sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
     WHERE m.inbox_id = $1 AND m.status = 'pending' AND m.deadline <= $2 AND NOT m.free
     ORDER BY m.deadline LIMIT $3 FOR UPDATE OF m SKIP LOCKED`,
    [inboxId, tx.now, limit],
  );
  for (const row of rows) {
    checkTransition(row, 'expire', tx.now);
    await giveBack(tx, null, inboxId, row, { kind: 'expire' });
  }
  if (rows.length > 0) {
    await audit(tx, inboxId, null, 'message.expire', null, {
      messages: rows.map((r) => r.id),
      refunds: rows.map(aboutMessage),
    });
  }
  return rows.length;
}

export async function replyToMessage(
  tx: Tx,
  actor: Actor,
  messageId: string,
  body: RouteBody<'reply'>,
): Promise<Reply> {
  const action = { kind: 'reply' as const, ...body };
  const { access, inboxId, row } = await lockForAction(tx, actor, messageId, action);
  requireAllowed(access, action, row, tx.now);
  const reply = await addReply(tx, actor, inboxId, messageId, body.body);
  await audit(tx, inboxId, actor, 'message.reply', messageId, { replyId: reply.id });
  return reply;
}

export async function myMessages(tx: Tx, actor: Actor): Promise<RouteResponse<'myMessages'>> {
  const rows = await tx.sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE m.fan_id = $1 ORDER BY m.paid_at DESC, m.id LIMIT 1000`,
    [actor.id],
  );
  const ids = rows.map((r) => r.id);
  const replies =
    ids.length === 0
      ? []
      : await tx.sql.query<Parameters<typeof toReply>[0]>(
          `${REPLY_SELECT} WHERE r.message_id = ANY($1::text[]) ORDER BY r.created_at`,
          [ids],
        );
  return { messages: rows.map(toMessage), replies: replies.map(toReply) };
}
