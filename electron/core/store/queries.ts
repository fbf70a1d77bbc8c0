import type Database from 'better-sqlite3';
import type { CallOutput, InboxView, ParsedInput } from '../../../shared/contract';
import type { MessageStatus } from '../../../shared/message';
import { SOON_WITHIN_MS } from '../../../shared/message';
import type { CurrencyCode } from '../../../shared/money';
import type { FanTerms } from '../../../shared/protocol';
import { CoreError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { queuedFanAction } from './outbox';
import { buildMatchQuery } from './search-text';
import { stmt } from './statements';

type InboxRow = CallOutput<'inbox.page'>['rows'][number];
/** Currencies in the database were checked by the protocol schema on the way in. */
type Money = { minor: number; currency: CurrencyCode };

const PREVIEW_CHARS = 160;

/** Columns of an inbox row; `pending_decision` and `local_state` come from the outbox. */
const ROW_COLUMNS = `
  m.search_key AS search_key, m.id, m.inbox_id, m.fan_id, m.fan_name, substr(m.body, 1, ${PREVIEW_CHARS}) AS preview, m.currency,
  m.price_minor, m.status, m.paid_at, m.deadline, m.free, m.decided_by_id, m.decided_by_name,
  coalesce(t.read, 0) AS read, coalesce(t.starred, 0) AS starred, coalesce(t.archived, 0) AS archived,
  coalesce(t.labels, '[]') AS labels, t.snoozed_until, t.assignee_id,
  (SELECT o.kind FROM outbox o WHERE o.message_id = m.id AND o.kind IN ('accept', 'refund')
     ORDER BY o.position LIMIT 1) AS pending_decision,
  (SELECT CASE WHEN count(*) = 0 THEN 'synced' WHEN max(o.last_error IS NOT NULL) THEN 'failed' ELSE 'queued' END
     FROM outbox o WHERE o.message_id = m.id) AS local_state`;

interface RawRow {
  search_key: number;
  id: string;
  inbox_id: string;
  fan_id: string;
  fan_name: string;
  preview: string;
  currency: CurrencyCode;
  price_minor: number;
  status: MessageStatus;
  paid_at: number;
  deadline: number;
  free: number;
  decided_by_id: string | null;
  decided_by_name: string | null;
  read: number;
  starred: number;
  archived: number;
  labels: string;
  snoozed_until: number | null;
  assignee_id: string | null;
  pending_decision: 'accept' | 'refund' | null;
  local_state: 'synced' | 'queued' | 'failed';
}

export function toInboxRow(r: RawRow): InboxRow {
  return {
    id: r.id,
    inboxId: r.inbox_id,
    fanId: r.fan_id,
    fanName: r.fan_name,
    preview: r.preview,
    price: { minor: r.price_minor, currency: r.currency },
    status: r.status,
    paidAt: r.paid_at,
    deadline: r.deadline,
    free: r.free === 1,
    decidedBy: r.decided_by_id ? { id: r.decided_by_id, name: r.decided_by_name ?? '' } : null,
    read: r.read === 1,
    starred: r.starred === 1,
    archived: r.archived === 1,
    labels: JSON.parse(r.labels) as string[],
    snoozedUntil: r.snoozed_until,
    assigneeId: r.assignee_id,
    pendingDecision: r.pending_decision,
    localState: r.local_state,
  };
}

export interface ViewScope {
  inboxId: string | null;
  view: InboxView;
  label?: string | undefined;
  userId: string;
  now: number;
}

/** The message has an accept or refund in the outbox, not yet confirmed by the platform. */
const QUEUED_DECISION = "EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.kind IN ('accept', 'refund'))";

/** The WHERE clause of a view. Triage comes from a LEFT JOIN: no row means all defaults. */
function viewPredicate(scope: ViewScope, params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (scope.inboxId !== null) {
    parts.push(TRIAGE_VIEWS.has(scope.view) ? 't.inbox_id = @inboxId' : 'm.inbox_id = @inboxId');
    params.inboxId = scope.inboxId;
  }
  params.now = scope.now;
  switch (scope.view) {
    case 'pending':
      // A queued accept or refund keeps its message here wherever triage moved it: the
      // person must see what is still on its way to the platform.
      parts.push(
        "m.status = 'pending'",
        `((coalesce(t.archived, 0) = 0 AND (t.snoozed_until IS NULL OR t.snoozed_until <= @now)) OR ${QUEUED_DECISION})`,
      );
      break;
    case 'accepted':
      parts.push("m.status = 'accepted'", 'coalesce(t.archived, 0) = 0');
      break;
    case 'closed':
      parts.push("m.status IN ('refunded', 'expired')", 'coalesce(t.archived, 0) = 0');
      break;
    case 'starred':
      parts.push('t.starred = 1');
      break;
    case 'snoozed':
      parts.push('t.snoozed_until > @now');
      break;
    case 'archived':
      parts.push('t.archived = 1');
      break;
    case 'label':
      if (!scope.label) throw new CoreError('invalid_input', 'The label view needs a label.');
      parts.push('m.id IN (SELECT message_id FROM message_labels WHERE label = @label)');
      params.label = scope.label;
      break;
    case 'assigned':
      parts.push('t.assignee_id = @userId');
      params.userId = scope.userId;
      break;
  }
  return parts.join(' AND ');
}

/** Views of triage state page from triage's partial indexes; the rest from the messages' own. */
const TRIAGE_VIEWS: ReadonlySet<InboxView> = new Set(['starred', 'archived', 'snoozed', 'assigned']);

function sourceOf(view: InboxView) {
  return TRIAGE_VIEWS.has(view)
    ? {
        from: 'triage t JOIN messages m ON m.id = t.message_id',
        deadline: 't.deadline',
        paid: 't.paid_at',
        id: 't.message_id',
      }
    : {
        from: 'messages m LEFT JOIN triage t ON t.message_id = m.id',
        deadline: 'm.deadline',
        paid: 'm.paid_at',
        id: 'm.id',
      };
}

const AT_RISK_SCORE =
  'CASE WHEN m.deadline > @now THEN m.price_minor * 1.0 / ((m.deadline - @now) / 3600000.0 + 1) ELSE 0 END';

export function inboxPage(
  db: Database.Database,
  input: ParsedInput<'inbox.page'>,
  scope: ViewScope,
  total: () => number,
): CallOutput<'inbox.page'> {
  const params: Record<string, unknown> = { limit: input.limit + 1 };
  const where = [viewPredicate(scope, params)];
  const source = sourceOf(scope.view);
  let order: string;
  let keyOf: (r: RawRow & { k: number }) => Array<string | number>;
  let keyColumn: string;
  if (input.order === 'newest') {
    keyColumn = source.paid;
    order = `${source.paid} DESC, ${source.id} DESC`;
    keyOf = (r) => [r.paid_at, r.id];
    if (input.cursor) {
      const [k, id] = decodeCursor(input.cursor, ['number', 'string']);
      Object.assign(params, { k, id });
      where.push(`(${source.paid}, ${source.id}) < (@k, @id)`);
    }
  } else if (input.order === 'at_risk') {
    // Money at risk changes with time: the first page fixes `now` in the cursor so the
    // order stays stable while paging. Computed per row (not index-backed), pending only.
    keyColumn = AT_RISK_SCORE;
    order = `k DESC, m.id`;
    if (input.cursor) {
      const [k, id, now] = decodeCursor(input.cursor, ['number', 'string', 'number']);
      Object.assign(params, { k, id });
      params.now = now;
      where.push(`(${AT_RISK_SCORE} < @k OR (${AT_RISK_SCORE} = @k AND m.id > @id))`);
    }
    const fixedNow = params.now as number;
    keyOf = (r) => [r.k, r.id, fixedNow];
  } else {
    keyColumn = source.deadline;
    order = `${source.deadline}, ${source.id}`;
    keyOf = (r) => [r.deadline, r.id];
    if (input.cursor) {
      const [k, id] = decodeCursor(input.cursor, ['number', 'string']);
      Object.assign(params, { k, id });
      where.push(`(${source.deadline}, ${source.id}) > (@k, @id)`);
    }
  }
  const sql = `SELECT ${ROW_COLUMNS}, ${keyColumn} AS k FROM ${source.from}
    WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit`;
  const raw = stmt(db, sql).all(params) as Array<RawRow & { k: number }>;
  const more = raw.length > input.limit;
  const rows = more ? raw.slice(0, input.limit) : raw;
  const last = rows[rows.length - 1];
  return {
    rows: rows.map(toInboxRow),
    nextCursor: more && last ? encodeCursor(keyOf(last)) : null,
    total: total(),
  };
}

const STATUS_VIEWS: Partial<Record<InboxView, string>> = {
  pending: "m.status = 'pending'",
  accepted: "m.status = 'accepted'",
  closed: "m.status IN ('refunded', 'expired')",
};

/**
 * A view's size. Status views count their status index (no join) and subtract the few
 * messages triage hides (archived, or snoozed for now), read from triage's partial indexes.
 */
export function countView(db: Database.Database, scope: ViewScope): number {
  const status = STATUS_VIEWS[scope.view];
  if (!status) {
    const params: Record<string, unknown> = {};
    const sql = `SELECT count(*) FROM ${sourceOf(scope.view).from} WHERE ${viewPredicate(scope, params)}`;
    return stmt(db, sql).pluck().get(params) as number;
  }
  const params: Record<string, unknown> = { now: scope.now };
  let inbox = '';
  if (scope.inboxId !== null) {
    inbox = ' AND m.inbox_id = @inboxId';
    params.inboxId = scope.inboxId;
  }
  const all = stmt(db, `SELECT count(*) FROM messages m WHERE ${status}${inbox}`).pluck().get(params) as number;
  // Pending keeps messages with a queued decision even when archived or snoozed (viewPredicate).
  const kept = scope.view === 'pending' ? ` AND NOT ${QUEUED_DECISION}` : '';
  const archived = stmt(
    db,
    `SELECT count(*) FROM triage t JOIN messages m ON m.id = t.message_id WHERE t.archived = 1 AND ${status}${inbox}${kept}`,
  )
    .pluck()
    .get(params) as number;
  const snoozed =
    scope.view === 'pending'
      ? (stmt(
          db,
          `SELECT count(*) FROM triage t JOIN messages m ON m.id = t.message_id
           WHERE t.snoozed_until > @now AND t.archived = 0 AND ${status}${inbox}${kept}`,
        )
          .pluck()
          .get(params) as number)
      : 0;
  return all - archived - snoozed;
}

function heldByCurrency(rows: Array<{ currency: CurrencyCode; held: number }>): Money[] {
  return rows.filter((r) => r.held > 0).map((r) => ({ minor: r.held, currency: r.currency }));
}

/** Counts and money still held per view (and per label), plus what expires within 24 h. */
export function inboxCounts(
  db: Database.Database,
  base: Omit<ViewScope, 'view' | 'label'>,
): CallOutput<'inbox.counts'> {
  const views: CallOutput<'inbox.counts'>['views'] = [];
  const fixed: InboxView[] = ['pending', 'accepted', 'closed', 'starred', 'snoozed', 'archived', 'assigned'];
  const summarize = (scope: ViewScope, label: string | null) => {
    const params: Record<string, unknown> = {};
    const sql = `SELECT m.currency AS currency, count(*) AS n,
        sum(CASE WHEN m.status = 'pending' THEN m.price_minor ELSE 0 END) AS held
      FROM ${sourceOf(scope.view).from} WHERE ${viewPredicate(scope, params)} GROUP BY m.currency`;
    const rows = stmt(db, sql).all(params) as Array<{ currency: CurrencyCode; n: number; held: number }>;
    views.push({ view: scope.view, label, count: rows.reduce((s, r) => s + r.n, 0), held: heldByCurrency(rows) });
  };
  for (const view of fixed) summarize({ ...base, view }, null);
  const labelParams: Record<string, unknown> = {};
  let labelSql = 'SELECT DISTINCT l.label FROM message_labels l';
  if (base.inboxId !== null) {
    labelSql += ' JOIN messages m ON m.id = l.message_id WHERE m.inbox_id = @inboxId';
    labelParams.inboxId = base.inboxId;
  }
  const labels = stmt(db, `${labelSql} ORDER BY 1 LIMIT 200`).all(labelParams) as Array<{ label: string }>;
  for (const { label } of labels) summarize({ ...base, view: 'label', label }, label);
  const riskParams: Record<string, unknown> = { now: base.now, until: base.now + SOON_WITHIN_MS };
  let riskSql = `SELECT m.currency AS currency, sum(m.price_minor) AS held FROM messages m
    WHERE m.status = 'pending' AND m.deadline > @now AND m.deadline <= @until`;
  if (base.inboxId !== null) {
    riskSql += ' AND m.inbox_id = @inboxId';
    riskParams.inboxId = base.inboxId;
  }
  const risk = stmt(db, `${riskSql} GROUP BY m.currency ORDER BY m.currency`).all(riskParams) as Array<{
    currency: CurrencyCode;
    held: number;
  }>;
  return { views, atRisk24h: heldByCurrency(risk) };
}

export function messageThread(db: Database.Database, messageId: string): CallOutput<'message.thread'> {
  const row = stmt(
    db,
    `SELECT ${ROW_COLUMNS}, m.body, m.fee_minor, m.net_minor, m.decided_at,
       m.refund_reason, m.note_to_fan
     FROM messages m LEFT JOIN triage t ON t.message_id = m.id WHERE m.id = ?`,
  ).get(messageId) as
    | (RawRow & {
        body: string;
        fee_minor: number | null;
        net_minor: number | null;
        decided_at: number | null;
        decided_by_id: string | null;
        decided_by_name: string | null;
        refund_reason: string | null;
        note_to_fan: string | null;
      })
    | undefined;
  if (!row) throw new CoreError('not_found', 'This message is not in the local inbox.');
  const entries = (table: 'replies' | 'notes') =>
    (
      stmt(
        db,
        `SELECT id, author_id, author_name, body, created_at, local_action_id FROM ${table} WHERE message_id = ? ORDER BY created_at, id`,
      ).all(messageId) as Array<{
        id: string;
        author_id: string;
        author_name: string;
        body: string;
        created_at: number;
        local_action_id: string | null;
      }>
    ).map((r) => ({
      id: r.id,
      authorId: r.author_id,
      authorName: r.author_name,
      body: r.body,
      createdAt: r.created_at,
      localState: r.local_action_id ? ('queued' as const) : ('synced' as const),
    }));
  const fan = stmt(db, 'SELECT display_name, blocked, terms FROM fans WHERE inbox_id = ? AND id = ?').get(
    row.inbox_id,
    row.fan_id,
  ) as { display_name: string; blocked: number; terms: string | null } | undefined;
  const totals = stmt(
    db,
    `SELECT currency, count(*) AS n, sum(CASE WHEN status = 'accepted' THEN price_minor ELSE 0 END) AS paid
     FROM messages WHERE fan_id = ? GROUP BY currency ORDER BY currency`,
  ).all(row.fan_id) as Array<{ currency: CurrencyCode; n: number; paid: number }>;
  const currency = row.currency;
  return {
    message: {
      ...toInboxRow(row),
      body: row.body,
      // Null where the platform sent none: this member may not view earnings.
      fee: row.fee_minor === null ? null : { minor: row.fee_minor, currency },
      net: row.net_minor === null ? null : { minor: row.net_minor, currency },
      decidedAt: row.decided_at,
      decidedBy: row.decided_by_id ? { id: row.decided_by_id, name: row.decided_by_name ?? '' } : null,
      refundReason: row.refund_reason,
      noteToFan: row.note_to_fan,
    },
    replies: entries('replies'),
    notes: entries('notes'),
    fan: {
      id: row.fan_id,
      displayName: fan?.display_name ?? row.fan_name,
      blocked: fan?.blocked === 1,
      queued: queuedFanAction(db, row.inbox_id, row.fan_id),
      // Stored as the feed's entity validated it (apply.ts).
      terms: fan?.terms ? (JSON.parse(fan.terms) as FanTerms) : null,
      messageCount: totals.reduce((s, t) => s + t.n, 0),
      lifetime: totals.filter((t) => t.paid > 0).map((t) => ({ minor: t.paid, currency: t.currency })),
    },
  };
}

/**
 * Search never ranks every match: newest first by the messages' search key (time paid, then
 * id: search-key.ts, the same whichever way the database was built), one keyset page at a time.
 */
export const SEARCH_TOTAL_CAP = 1_000;

export function searchMessages(db: Database.Database, input: ParsedInput<'search'>, now: number): CallOutput<'search'> {
  const params: Record<string, unknown> = { limit: input.limit + 1 };
  const where: string[] = [];
  const match = buildMatchQuery(input.text);
  let from = 'messages m';
  // With FTS, order and page by the index's own rowid (the search key) so FTS5 walks matches
  // newest first and stops at the limit instead of collecting every match.
  let key = 'm.search_key';
  if (match !== null) {
    key = 'f.rowid';
    from = 'messages_fts f JOIN messages m ON m.search_key = f.rowid';
    where.push('messages_fts MATCH @match');
    params.match = match;
  } else if (input.text.trim().length > 0) {
    return { rows: [], nextCursor: null, total: 0 };
  }
  if (input.inboxId !== null) {
    where.push('m.inbox_id = @inboxId');
    params.inboxId = input.inboxId;
  }
  if (input.status && input.status.length > 0) {
    where.push(`m.status IN (${input.status.map((_, i) => `@status${i}`).join(', ')})`);
    input.status.forEach((s, i) => {
      params[`status${i}`] = s;
    });
  }
  if (input.minAmount !== undefined) {
    where.push('m.price_minor >= @minAmount');
    params.minAmount = input.minAmount;
  }
  if (input.maxAmount !== undefined) {
    where.push('m.price_minor <= @maxAmount');
    params.maxAmount = input.maxAmount;
  }
  if (input.fanId !== undefined) {
    where.push('m.fan_id = @fanId');
    params.fanId = input.fanId;
  }
  if (input.label !== undefined) {
    where.push('m.id IN (SELECT message_id FROM message_labels WHERE label = @label)');
    params.label = input.label;
  }
  if (input.deadlineWithinMs !== undefined) {
    where.push("m.status = 'pending' AND m.deadline > @now AND m.deadline <= @deadlineUntil");
    params.now = now;
    params.deadlineUntil = now + input.deadlineWithinMs;
  }
  if (input.from !== undefined) {
    where.push('m.paid_at >= @from');
    params.from = input.from;
  }
  if (input.to !== undefined) {
    where.push('m.paid_at < @to');
    params.to = input.to;
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const pageWhere = [...where];
  if (input.cursor) {
    const [searchKey] = decodeCursor(input.cursor, ['number']);
    pageWhere.push(`${key} < @after`);
    params.after = searchKey;
  }
  const pageFilter = pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : '';
  const raw = stmt(
    db,
    `SELECT ${ROW_COLUMNS} FROM ${from} LEFT JOIN triage t ON t.message_id = m.id ${pageFilter}
     ORDER BY ${key} DESC LIMIT @limit`,
  ).all(params) as RawRow[];
  const more = raw.length > input.limit;
  const rows = more ? raw.slice(0, input.limit) : raw;
  const last = rows[rows.length - 1];
  const { after: _after, limit: _limit, ...filterParams } = params;
  const countParams = { ...filterParams, cap: SEARCH_TOTAL_CAP };
  const total = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${from} ${filter} LIMIT @cap)`)
    .pluck()
    .get(countParams) as number;
  return { rows: rows.map(toInboxRow), nextCursor: more && last ? encodeCursor([last.search_key]) : null, total };
}
