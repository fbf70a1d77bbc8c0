import type Database from 'better-sqlite3';
import type { AuditCategory, AuditFilter, CallOutput } from '../../../shared/contract';
import { type AuditEntry, type AuditEntryRow, auditEntryFromRow } from '../../../shared/protocol';
import { CSV_BOM, csvField, isoWithOffset, textField } from '../earnings/csv';
import { zoneFor } from '../earnings/zone';
import { CoreError } from '../errors';
import { stmt } from '../store/statements';

/** Which platform actions make up each category people filter by. */
const CATEGORY_SQL: Record<AuditCategory, string> = {
  accept: "a.action = 'message.accept'",
  refund: "a.action = 'message.refund'",
  reply: "a.action = 'message.reply'",
  settings: "a.action = 'settings.update'",
  team: "a.action LIKE 'team.%'",
  other:
    "a.action NOT IN ('message.accept', 'message.refund', 'message.reply', 'settings.update') AND a.action NOT LIKE 'team.%'",
};

export const MAX_AUDIT_EXPORT_ROWS = 100_000;

interface AuditRow extends AuditEntryRow<string> {
  seq: number;
}

const toEntry = (r: AuditRow): AuditEntry => auditEntryFromRow(r, (details) => JSON.parse(details));

function where(filter: AuditFilter, params: Record<string, unknown>): string {
  const parts = ['a.inbox_id = @inboxId'];
  params.inboxId = filter.inboxId;
  if (filter.category) parts.push(`(${CATEGORY_SQL[filter.category]})`);
  if (filter.actorId) {
    parts.push('a.actor_id = @actorId');
    params.actorId = filter.actorId;
  }
  if (filter.from !== undefined) {
    parts.push('a.at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    parts.push('a.at < @to');
    params.to = filter.to;
  }
  return parts.join(' AND ');
}

/** Keyset cursor "at:seq:id" — newest first, stable when entries share a millisecond. */
function parseCursor(cursor: string): { at: number; seq: number; id: string } {
  const match = /^(\d+):(\d+):(.+)$/.exec(cursor);
  if (!match) throw new CoreError('invalid_input', 'This page cursor is not valid.');
  return { at: Number(match[1]), seq: Number(match[2]), id: match[3] as string };
}

const SELECT =
  'SELECT a.id, a.actor_id, a.actor_name, a.device_name, a.action, a.subject_id, a.details, a.at, a.seq FROM audit a';
const ORDER = 'ORDER BY a.at DESC, a.seq DESC, a.id DESC';

export function auditPage(
  db: Database.Database,
  input: AuditFilter & { cursor: string | null; limit: number },
): CallOutput<'team.audit'> {
  const params: Record<string, unknown> = { limit: input.limit + 1 };
  let sql = `${SELECT} WHERE ${where(input, params)}`;
  if (input.cursor) {
    const c = parseCursor(input.cursor);
    sql += ' AND (a.at < @cAt OR (a.at = @cAt AND (a.seq < @cSeq OR (a.seq = @cSeq AND a.id < @cId))))';
    Object.assign(params, { cAt: c.at, cSeq: c.seq, cId: c.id });
  }
  const rows = stmt(db, `${sql} ${ORDER} LIMIT @limit`).all(params) as AuditRow[];
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const actors = stmt(
    db,
    `SELECT actor_id AS id, max(actor_name) AS name FROM audit WHERE inbox_id = ? AND actor_id IS NOT NULL
     GROUP BY actor_id ORDER BY 2`,
  ).all(input.inboxId) as Array<{ id: string; name: string }>;
  return {
    entries: page.map(toEntry),
    nextCursor: rows.length > input.limit && last ? `${last.at}:${last.seq}:${last.id}` : null,
    actors,
  };
}

export const AUDIT_CSV_COLUMNS = [
  'entry_id',
  'time',
  'action',
  'actor_id',
  'actor_name',
  'device',
  'subject_id',
  'details',
] as const;

/**
 * The filtered audit log as RFC 4180 CSV (CRLF, quoted where needed, BOM for Excel, the
 * earnings export's field rules: names and devices are untrusted text, so formula
 * starts are defused). Times carry the user's UTC offset.
 */
export function auditCsv(db: Database.Database, filter: AuditFilter, timeZone: string): { csv: string; rows: number } {
  let zone: ReturnType<typeof zoneFor>;
  try {
    zone = zoneFor(timeZone);
  } catch {
    throw new CoreError('invalid_input', `Unknown time zone: ${timeZone}`);
  }
  const params: Record<string, unknown> = { limit: MAX_AUDIT_EXPORT_ROWS };
  const rows = stmt(db, `${SELECT} WHERE ${where(filter, params)} ${ORDER} LIMIT @limit`).all(params) as AuditRow[];
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        csvField(r.id),
        isoWithOffset(r.at, zone),
        csvField(r.action),
        textField(r.actor_id),
        textField(r.actor_name),
        textField(r.device_name),
        textField(r.subject_id),
        textField(r.details === '{}' ? '' : r.details),
      ].join(','),
    );
  }
  return { csv: `${CSV_BOM}${lines.join('\r\n')}\r\n`, rows: rows.length };
}
