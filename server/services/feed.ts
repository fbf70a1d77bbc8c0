import { mayAct, maySeeDrafts } from '../../shared/actions';
import type { Change, ChangeKind, ChangesPage, Message, RouteResponse } from '../../shared/protocol';
import { type Access, requireMember, requireOwner } from './access';
import type { Actor, Tx } from './context';
import { type AuditRow, toAuditEntry } from './entities';

/**
 * Earnings are money on the creator's side of a price: the platform's fee rate and cut,
 * what the creator nets, balances held and available, the ledger and payouts. A member
 * without `view_earnings` is sent none of it on any path (routes, feed, snapshot); the
 * price the fan paid stays, since triage is by money at risk and limits are prices.
 */
export const seesEarnings = (access: Access): boolean => mayAct(access, 'view_earnings');

/** A message's earnings fields, each null where the member may not see them. */
export const HIDDEN_EARNINGS = { feeBps: null, fee: null, net: null } as const satisfies Partial<
  Record<keyof Message, null>
>;

/** The message as this member may see it: without its earnings side unless they may view earnings. */
export function messageFor(access: Access, message: Message): Message {
  return seesEarnings(access) ? message : { ...message, ...HIDDEN_EARNINGS };
}

/**
 * What a member may not see on the feed: money without view_earnings, the audit log unless
 * owner, drafts unless they may write one or approve one (accept and reply).
 */
export function hiddenKinds(access: Access): ChangeKind[] {
  const hidden: ChangeKind[] = [];
  if (!seesEarnings(access)) hidden.push('ledger');
  if (access.role !== 'owner') hidden.push('audit');
  if (!maySeeDrafts(access)) hidden.push('draft');
  return hidden;
}

/** A feed entry as this member may see it (kinds they may not see are never read). */
function changeFor(access: Access, change: Change): Change {
  return change.kind === 'message' ? { ...change, data: messageFor(access, change.data) } : change;
}

export async function feedHead(tx: Tx, inboxId: string): Promise<number> {
  const rows = await tx.sql.query<{ feed_head: number }>('SELECT feed_head FROM inboxes WHERE id = $1', [inboxId]);
  return rows[0]?.feed_head ?? 0;
}

/**
 * One page of the feed after `after`. The head is read first and the page bounded by it:
 * writers of an inbox commit in seq order, so every entry up to the head is visible.
 */
export async function readChanges(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  query: { after: number; limit: number },
): Promise<ChangesPage> {
  const access = await requireMember(tx, actor, inboxId);
  const headSeq = await feedHead(tx, inboxId);
  const rows = await tx.sql.query<{ seq: number; at: number; kind: ChangeKind; data: unknown }>(
    `SELECT seq, at, kind, data FROM changes
     WHERE inbox_id = $1 AND seq > $2 AND seq <= $3 AND kind <> ALL($4::text[])
     ORDER BY seq LIMIT $5`,
    [inboxId, query.after, headSeq, hiddenKinds(access), query.limit + 1],
  );
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  const nextAfter = hasMore && last ? last.seq : Math.max(query.after, headSeq);
  return {
    inboxId,
    changes: page.map((r) => changeFor(access, { seq: r.seq, at: r.at, kind: r.kind, data: r.data } as Change)),
    nextAfter,
    headSeq,
    hasMore,
  };
}

export async function auditLog(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  query: { before?: number | undefined; limit: number },
): Promise<RouteResponse<'audit'>> {
  await requireOwner(tx, actor, inboxId);
  const rows = await tx.sql.query<AuditRow>(
    `SELECT id, actor_id, actor_name, device_name, action, subject_id, details, at FROM audit_log
     WHERE inbox_id = $1 AND at < $2 ORDER BY at DESC, position DESC LIMIT $3`,
    [inboxId, query.before ?? Number.MAX_SAFE_INTEGER, query.limit],
  );
  return { entries: rows.map(toAuditEntry) };
}
