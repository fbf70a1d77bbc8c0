import { mayAct, maySeeDrafts } from '../../shared/actions';
import type { ChangeKind, ChangesPage, Message, RouteResponse } from '../../shared/protocol';
import { readRangesInIndexOrder } from '../db/database';
import { JsonText } from '../json-text';
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

/**
 * One feed entry as JSON text, built in SQL from the text the database keeps (`row` names a
 * row with seq, at, kind and data): no parse and re-serialise per entry. For a member who may
 * not view earnings a message's earnings fields are overwritten with null (`messageFor`'s
 * fields, in SQL). The snapshot's lines and the feed's pages are both made of it.
 */
export function entryJsonSql(row: string, earnings: boolean): string {
  const data = earnings
    ? `${row}.data::text`
    : `(CASE WHEN ${row}.kind = 'message' THEN (${row}.data::jsonb || '${JSON.stringify(HIDDEN_EARNINGS)}'::jsonb)::text ELSE ${row}.data::text END)`;
  return `'{"seq":' || ${row}.seq || ',"at":' || ${row}.at || ',"kind":"' || ${row}.kind || '","data":' || ${data} || '}'`;
}

/**
 * The inbox's feed head. Sent without waiting (`TxSql.send`), so a statement asked next in
 * the same tick travels with it: `memberAndHead` makes one round trip of the two.
 */
async function feedHead(tx: Tx, inboxId: string): Promise<number> {
  const rows = await tx.sql.send<{ feed_head: number }>('SELECT feed_head FROM inboxes WHERE id = $1', [inboxId]);
  return rows[0]?.feed_head ?? 0;
}

/**
 * The reader's place in the inbox and its feed head, in one round trip: the head is sent
 * first and the member check behind it, in the same write. Every read of the feed asks
 * both; under the load test's feed reads each round trip to PostgreSQL was a socket write
 * costing the platform more CPU than the statement's own work (docs/scaling.md §2). A
 * non-member's head is read and dropped: they are told only that there is no such inbox.
 */
export async function memberAndHead(tx: Tx, actor: Actor, inboxId: string): Promise<{ access: Access; head: number }> {
  const head = feedHead(tx, inboxId);
  // Not awaited if the check throws: its failure is then that check's (the transaction's).
  head.catch(() => undefined);
  const access = await requireMember(tx, actor, inboxId);
  return { access, head: await head };
}

/**
 * One page of the feed after `after`. The head is read first and the page bounded by it:
 * writers of an inbox commit in seq order, so every entry up to the head is visible.
 * The page is one row of JSON text (the entries joined in SQL), written to the response as
 * is: the embedded database's cost is per row returned, and the route's per entry.
 */
export async function readChanges(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  query: { after: number; limit: number },
): Promise<JsonText<ChangesPage>> {
  const { access, head: headSeq } = await memberAndHead(tx, actor, inboxId);
  // In the index's order, stopping at the page's end, however far behind the reader is.
  readRangesInIndexOrder(tx.sql);
  // One row past the page says whether there is more; it is counted, not sent.
  const rows = await tx.sql.query<{ entries: string | null; rows: number; last_seq: number | string | null }>(
    `SELECT string_agg(${entryJsonSql('r', seesEarnings(access))}, ',' ORDER BY r.seq) FILTER (WHERE r.n <= $5) AS entries,
       count(*)::int AS rows, max(r.seq) FILTER (WHERE r.n <= $5) AS last_seq
     FROM (SELECT seq, at, kind, data, row_number() OVER (ORDER BY seq) AS n FROM changes
           WHERE inbox_id = $1 AND seq > $2 AND seq <= $3 AND kind <> ALL($4::text[])
           ORDER BY seq LIMIT $5 + 1) r`,
    [inboxId, query.after, headSeq, hiddenKinds(access), query.limit],
  );
  const row = rows[0];
  const hasMore = (row?.rows ?? 0) > query.limit;
  const nextAfter = hasMore && row?.last_seq != null ? Number(row.last_seq) : Math.max(query.after, headSeq);
  return new JsonText(
    `{"inboxId":${JSON.stringify(inboxId)},"changes":[${row?.entries ?? ''}],"nextAfter":${nextAfter},"headSeq":${headSeq},"hasMore":${hasMore}}`,
  );
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
