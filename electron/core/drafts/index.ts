import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { mayAct, mayApproveDrafts } from '../../../shared/actions';
import { type DraftItem, type DraftList, type draftCalls, MAX_DRAFT_ROWS } from '../../../shared/contract';
import type { CurrencyCode } from '../../../shared/money';
import type { Draft } from '../../../shared/protocol';
import { CoreError } from '../errors';
import type { AccountSession } from '../services/account-session';
import { stmt } from '../store/statements';
import { fromPlatformError } from '../sync/platform-errors';

type Calls = typeof draftCalls;
type Input<N extends keyof Calls> = z.infer<Calls[N]['input']>;

/** A row as read: the item's own names, with its nested parts flat (SQLite has no objects). */
type DraftRow = Omit<DraftItem, 'price' | 'decidedBy' | 'queued'> & {
  priceMinor: number;
  currency: CurrencyCode;
  decidedById: string | null;
  decidedByName: string | null;
  queued: number;
};

const MESSAGE_COLUMNS = `m.deadline, m.price_minor AS priceMinor, m.currency, m.fan_name AS fanName, m.body AS messageBody,
  m.status AS messageStatus, m.decided_at AS messageDecidedAt, m.decided_by_name AS messageDecidedBy`;

/** The platform's drafts (from the feed), with their message as this device knows it now. */
const STORED = `SELECT d.id, d.inbox_id AS inboxId, d.message_id AS messageId, d.author_id AS authorId,
    d.author_name AS authorName, d.body, d.status, d.comment, d.created_at AS createdAt, d.decided_at AS decidedAt,
    d.decided_by_id AS decidedById, d.decided_by_name AS decidedByName, ${MESSAGE_COLUMNS}, 0 AS queued
  FROM drafts d JOIN messages m ON m.id = d.message_id`;

/** Drafts written here and still in the outbox: the platform has not seen them yet. */
const QUEUED = `SELECT o.id, o.inbox_id, o.message_id, ?, ?, json_extract(o.payload, '$.body'), 'pending', NULL,
    o.created_at, NULL, NULL, NULL, ${MESSAGE_COLUMNS}, 1
  FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.kind = 'draft' AND o.inbox_id = ?`;

/** An accept or refund of the message waiting in the outbox: the draft is being settled here. */
const DECISION_QUEUED = `EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.kind IN ('accept', 'refund'))`;

function toItem({ priceMinor, currency, decidedById, decidedByName, queued, ...rest }: DraftRow): DraftItem {
  return {
    ...rest,
    price: { minor: priceMinor, currency },
    decidedBy: decidedById ? { id: decidedById, name: decidedByName ?? '' } : null,
    queued: queued === 1,
  };
}

/**
 * The drafts view of one inbox, read from the local store. To approve: open drafts of
 * messages still pending before their deadline (platform time) and not being decided here,
 * the one that expires first first — a draft never extends the deadline. Mine: what I wrote,
 * queued or stored, newest first, with how it settled (sent back with a comment, approved,
 * or its message refunded or expired meanwhile, naming who and when).
 */
export function draftList(session: AccountSession, inboxId: string, platformNow: number): DraftList {
  const membership = session.actor.membership(inboxId);
  if (!membership) throw new CoreError('not_found', 'You are not a member of this inbox.');
  const mayApprove = mayApproveDrafts(membership);
  const mayDraft = mayAct(membership, 'draft');
  const me = session.account.userId;
  const db = session.store.db;
  return session.store.read(() => {
    const toApprove = mayApprove
      ? (
          stmt(
            db,
            `${STORED} WHERE d.inbox_id = ? AND d.status = 'pending' AND m.status = 'pending' AND m.deadline > ?
               AND NOT ${DECISION_QUEUED}
             ORDER BY m.deadline, d.id LIMIT ${MAX_DRAFT_ROWS}`,
          ).all(inboxId, platformNow) as DraftRow[]
        ).map(toItem)
      : [];
    const mine = (
      stmt(
        db,
        `SELECT * FROM (${STORED} WHERE d.inbox_id = ? AND d.author_id = ? AND d.status <> 'superseded' UNION ALL ${QUEUED})
         ORDER BY queued DESC, createdAt DESC, id LIMIT ${MAX_DRAFT_ROWS}`,
      ).all(inboxId, me, me, session.account.displayName, inboxId) as DraftRow[]
    ).map(toItem);
    return { toApprove, mine, mayApprove, mayDraft };
  });
}

/** Sends a draft back to its author with a comment: online, the platform decides. */
async function sendBack(session: AccountSession, input: Input<'drafts.sendBack'>): Promise<Draft> {
  const inboxId = session.store.read(
    () => stmt(session.store.db, 'SELECT inbox_id FROM drafts WHERE id = ?').pluck().get(input.draftId) as string,
  );
  if (!inboxId) throw new CoreError('not_found', 'This draft is not on this device.');
  if (!mayApproveDrafts(session.actor.membership(inboxId))) {
    throw new CoreError('forbidden', 'You need the accept and reply permissions to send a draft back.');
  }
  try {
    const draft = await session.client.call('sendBackDraft', {
      params: { draftId: input.draftId },
      body: { comment: input.comment },
      idempotencyKey: randomUUID(),
    });
    void session.pullInbox(inboxId);
    return draft;
  } catch (error) {
    throw fromPlatformError(error);
  }
}

/** `...draftHandlers(sessionFor, now)` in createCore's handler table. */
export function draftHandlers(sessionFor: (accountId: string) => AccountSession, now: () => number) {
  return {
    'drafts.list': async (input: Input<'drafts.list'>) => {
      const session = sessionFor(input.accountId);
      return draftList(session, input.inboxId, session.platformNow(now()));
    },
    'drafts.sendBack': async (input: Input<'drafts.sendBack'>) => sendBack(sessionFor(input.accountId), input),
  };
}
