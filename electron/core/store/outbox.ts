import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ACTIONS, checkAction, type FanAction, type Membership, type QueuedAction } from '../../../shared/actions';
import type { Action, CallOutput } from '../../../shared/contract';
import type { MessageStatus } from '../../../shared/message';
import type { CurrencyCode } from '../../../shared/money';
import type { Permission } from '../../../shared/protocol';
import { CoreError, refusalError } from '../errors';
import { stmt } from './statements';
import { recomputeTriage } from './triage';

export interface Actor {
  userId: string;
  displayName: string;
  /** The member's role and permissions in an inbox, or null when not a member. */
  membership(inboxId: string): { role: Membership['role']; permissions: readonly Permission[] } | null;
}

export interface OutboxRow {
  position: number;
  id: string;
  inbox_id: string;
  message_id: string | null;
  kind: QueuedAction['kind'];
  payload: string;
  created_at: number;
  send_after: number;
  attempts: number;
  last_error: string | null;
  sending: number;
  /** When it first left for the platform (null: never sent). */
  first_sent_at: number | null;
}

/** Decisions wait this long before they leave, so "undo" can still take them back. */
export const DEFAULT_UNDO_WINDOW_MS = 5_000;

interface MessageState {
  id: string;
  inbox_id: string;
  status: MessageStatus;
  deadline: number;
  free: number;
  pending_decision: 'accept' | 'refund' | null;
}

/** The checks the platform makes (shared/actions), made first so the user hears "no" at once. */
function checkAllowed(message: MessageState, action: Action, actor: Actor, now: number): void {
  const refusal = checkAction(action, {
    membership: actor.membership(message.inbox_id),
    message: {
      status: message.status,
      deadline: message.deadline,
      free: message.free === 1,
      pendingDecision: message.pending_decision,
    },
    now,
  });
  if (refusal) throw refusalError(refusal);
}

function loadMessage(db: Database.Database, messageId: string): MessageState {
  const message = stmt(
    db,
    `SELECT m.id, m.inbox_id, m.status, m.deadline, m.free,
       (SELECT o.kind FROM outbox o WHERE o.message_id = m.id AND o.kind IN ('accept', 'refund')
          ORDER BY o.position LIMIT 1) AS pending_decision
     FROM messages m WHERE m.id = ?`,
  ).get(messageId) as MessageState | undefined;
  if (!message) throw new CoreError('not_found', 'This message is not in the local inbox.');
  return message;
}

/**
 * Writes one action's optimistic effect and its outbox row; call inside a transaction.
 * Accepts and refunds change nothing visible but `pendingDecision` (never shown as
 * decided before the platform says so); replies and notes appear as queued entries;
 * triage patches are replayed onto the row (triage.ts).
 */
export function enqueueAction(
  db: Database.Database,
  messageId: string,
  action: Action,
  actor: Actor,
  now: number,
  undoWindowMs: number,
  /** The platform's time (device time + measured offset): deadlines are judged on it. */
  platformNow: number = now,
): CallOutput<'actions.submit'> {
  const message = loadMessage(db, messageId);
  checkAllowed(message, action, actor, platformNow);
  const id = randomUUID();
  const held = ACTIONS[action.kind].held;
  const sendAfter = held ? now + undoWindowMs : now;
  stmt(
    db,
    `INSERT INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, message.inbox_id, messageId, action.kind, JSON.stringify(action), now, sendAfter);
  const placeholder = (table: 'replies' | 'notes', body: string) =>
    stmt(
      db,
      `INSERT INTO ${table} (id, message_id, author_id, author_name, body, created_at, local_action_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(`local:${id}`, messageId, actor.userId, actor.displayName, body, now, id);
  if (action.kind === 'reply') placeholder('replies', action.body);
  if (action.kind === 'accept' && action.reply) placeholder('replies', action.reply);
  if (action.kind === 'note') placeholder('notes', action.body);
  if (action.kind === 'triage') recomputeTriage(db, messageId);
  return { actionId: id, undoUntil: held ? sendAfter : null };
}

/** A fan action's fan, named as their newest message in the inbox names them (SQL over outbox row `o`). */
export const FAN_NAME_OF_ACTION = `(SELECT fm.fan_name FROM messages fm
  WHERE fm.inbox_id = o.inbox_id AND fm.fan_id = json_extract(o.payload, '$.fanId') ORDER BY fm.paid_at DESC LIMIT 1)`;

/** Keeps one fan's queued blocks and unblocks in order, the way a message id keeps a message's actions in order. */
export const fanOrderKey = (inboxId: string, fanId: string) => `fan:${inboxId}:${fanId}`;

/**
 * Queues a block or unblock of a fan of the inbox (call inside a write transaction), checked
 * by the registry first so a refusal is heard at once and nothing is queued. The fan must be
 * one this device knows (they wrote to the inbox).
 */
export function enqueueFanAction(
  db: Database.Database,
  inboxId: string,
  action: FanAction,
  actor: Actor,
  now: number,
): CallOutput<'fans.submit'> {
  const refusal = checkAction(action, { membership: actor.membership(inboxId), message: null, now });
  if (refusal) throw refusalError(refusal);
  const known = stmt(db, 'SELECT 1 FROM messages WHERE inbox_id = ? AND fan_id = ? LIMIT 1').get(inboxId, action.fanId);
  if (!known) throw new CoreError('not_found', 'This fan has not written to this inbox.');
  const id = randomUUID();
  stmt(
    db,
    `INSERT INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, inboxId, fanOrderKey(inboxId, action.fanId), action.kind, JSON.stringify(action), now, now);
  return { actionId: id };
}

/** The block or unblock of a fan still waiting in the outbox (the newest), if any. */
export function queuedFanAction(db: Database.Database, inboxId: string, fanId: string): FanAction['kind'] | null {
  return (
    (stmt(db, 'SELECT kind FROM outbox WHERE message_id = ? ORDER BY position DESC LIMIT 1')
      .pluck()
      .get(fanOrderKey(inboxId, fanId)) as FanAction['kind'] | undefined) ?? null
  );
}

/** Removes an action and every trace of its optimistic effect (undo, rejection, conflict). */
export function dropAction(db: Database.Database, row: Pick<OutboxRow, 'id' | 'message_id' | 'kind'>): void {
  stmt(db, 'DELETE FROM outbox WHERE id = ?').run(row.id);
  stmt(db, 'DELETE FROM replies WHERE local_action_id = ?').run(row.id);
  stmt(db, 'DELETE FROM notes WHERE local_action_id = ?').run(row.id);
  if (row.kind === 'triage' && row.message_id) recomputeTriage(db, row.message_id);
}

export function getAction(db: Database.Database, actionId: string): OutboxRow | undefined {
  return stmt(db, 'SELECT * FROM outbox WHERE id = ?').get(actionId) as OutboxRow | undefined;
}

/**
 * An action can be taken back while it cannot have reached the platform: not on its way
 * now, and never sent (attempts that failed before a connection existed do not count, see
 * the pusher). One that may have arrived (its answer lost) could still be applied, so it
 * stays and is settled by the platform's answer to the same idempotency key.
 */
export function cancellable(row: Pick<OutboxRow, 'sending' | 'first_sent_at'>): boolean {
  return row.sending === 0 && row.first_sent_at === null;
}

/** Takes an action back (undo, or cancel from the pending list) when `cancellable`. */
export function undoAction(db: Database.Database, actionId: string): OutboxRow | null {
  const row = getAction(db, actionId);
  if (!row || !cancellable(row)) return null;
  dropAction(db, row);
  return row;
}

/**
 * The next action to send: the oldest whose time has come and that has no older action
 * of the same message still waiting (per-message order is kept; a held accept does not
 * hold up a label on another message).
 */
export function nextDueAction(db: Database.Database, now: number): OutboxRow | undefined {
  return stmt(
    db,
    `SELECT * FROM outbox o WHERE o.send_after <= ?
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.message_id = o.message_id AND p.position < o.position)
     ORDER BY o.position LIMIT 1`,
  ).get(now) as OutboxRow | undefined;
}

export function earliestSendAfter(db: Database.Database): number | null {
  return stmt(db, 'SELECT min(send_after) FROM outbox').pluck().get() as number | null;
}

export function countOutbox(db: Database.Database): number {
  return stmt(db, 'SELECT count(*) FROM outbox').pluck().get() as number;
}

export function listOutbox(db: Database.Database, now: number): CallOutput<'outbox.list'> {
  const rows = stmt(
    db,
    `SELECT o.*, CASE WHEN o.kind = 'accept' THEN m.deadline END AS deadline,
       coalesce(m.fan_name, ${FAN_NAME_OF_ACTION}) AS fan_name, m.price_minor AS price_minor, m.currency AS currency
     FROM outbox o LEFT JOIN messages m ON m.id = o.message_id ORDER BY o.position LIMIT 1000`,
  ).all() as Array<
    OutboxRow & {
      deadline: number | null;
      fan_name: string | null;
      price_minor: number | null;
      currency: CurrencyCode | null;
    }
  >;
  return rows.map((r) => ({
    id: r.id,
    // Settings and fan actions carry an ordering key there, not a message.
    messageId: ACTIONS[r.kind].target === 'message' ? r.message_id : null,
    kind: r.kind,
    state:
      r.sending === 1
        ? 'sending'
        : r.attempts > 0
          ? 'retrying'
          : r.send_after > now && ACTIONS[r.kind].held
            ? 'held'
            : 'waiting',
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sendAfter: r.send_after,
    deadline: r.deadline,
    fanName: r.fan_name,
    price: r.price_minor !== null && r.currency !== null ? { minor: r.price_minor, currency: r.currency } : null,
    cancellable: cancellable(r),
  }));
}
