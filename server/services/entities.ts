import { money } from '../../shared/money';
import {
  type AuditEntry,
  type AuditEntryRow,
  auditEntryFromRow,
  type Fan,
  type FanTerms,
  type InboxSettings,
  type LedgerEvent,
  type Member,
  type Message,
  type Note,
  type Permission,
  type Reply,
  type Triage,
} from '../../shared/protocol';
import type { Sql } from '../db/database';
import { notFound } from '../errors';

/** Rows → wire entities. Every change-feed entry and every response goes through these. */

export const MESSAGE_COLUMNS = `m.id, m.inbox_id, m.fan_id, f.display_name AS fan_name, m.body, m.price_minor, m.currency,
  m.fee_bps, m.fee_minor, m.net_minor, m.status, m.paid_at, m.deadline, m.decided_at, m.decided_by,
  d.display_name AS decided_by_name, m.refund_reason, m.note_to_fan, m.free`;
export const MESSAGE_FROM = 'messages m JOIN users f ON f.id = m.fan_id LEFT JOIN users d ON d.id = m.decided_by';

export interface MessageRow {
  id: string;
  inbox_id: string;
  fan_id: string;
  fan_name: string;
  body: string;
  price_minor: number;
  currency: string;
  fee_bps: number;
  fee_minor: number;
  net_minor: number;
  status: Message['status'];
  paid_at: number;
  deadline: number;
  decided_at: number | null;
  decided_by: string | null;
  decided_by_name: string | null;
  refund_reason: string | null;
  note_to_fan: string | null;
  free: boolean;
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    inboxId: row.inbox_id,
    fanId: row.fan_id,
    fanName: row.fan_name,
    body: row.body,
    price: money(row.price_minor, row.currency),
    feeBps: row.fee_bps,
    fee: money(row.fee_minor, row.currency),
    net: money(row.net_minor, row.currency),
    status: row.status,
    free: row.free,
    paidAt: row.paid_at,
    deadline: row.deadline,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by ? { id: row.decided_by, name: row.decided_by_name ?? '' } : null,
    refundReason: row.refund_reason,
    noteToFan: row.note_to_fan,
  };
}

export async function loadMessage(sql: Sql, messageId: string): Promise<Message> {
  const rows = await sql.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE m.id = $1`, [
    messageId,
  ]);
  const row = rows[0];
  if (!row) throw notFound('Message');
  return toMessage(row);
}

interface ReplyRow {
  id: string;
  message_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number;
}

export const REPLY_SELECT = `SELECT r.id, r.message_id, r.author_id, u.display_name AS author_name, r.body, r.created_at
  FROM replies r JOIN users u ON u.id = r.author_id`;

export function toReply(row: ReplyRow): Reply {
  return {
    id: row.id,
    messageId: row.message_id,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
  };
}

export async function loadReply(sql: Sql, replyId: string): Promise<Reply> {
  const rows = await sql.query<ReplyRow>(`${REPLY_SELECT} WHERE r.id = $1`, [replyId]);
  if (!rows[0]) throw notFound('Reply');
  return toReply(rows[0]);
}

export async function loadNote(sql: Sql, noteId: string): Promise<Note> {
  const rows = await sql.query<ReplyRow>(
    `SELECT n.id, n.message_id, n.author_id, u.display_name AS author_name, n.body, n.created_at
     FROM notes n JOIN users u ON u.id = n.author_id WHERE n.id = $1`,
    [noteId],
  );
  if (!rows[0]) throw notFound('Note');
  return toReply(rows[0]);
}

export interface TriageRow {
  message_id: string;
  read: boolean;
  starred: boolean;
  archived: boolean;
  labels: string[];
  snoozed_until: number | null;
  assignee_id: string | null;
  updated_at: number;
}

export function toTriage(row: TriageRow): Triage {
  return {
    messageId: row.message_id,
    read: row.read,
    starred: row.starred,
    archived: row.archived,
    labels: [...row.labels].sort(),
    snoozedUntil: row.snoozed_until,
    assigneeId: row.assignee_id,
    updatedAt: row.updated_at,
  };
}

export const TRIAGE_COLUMNS = 'message_id, read, starred, archived, labels, snoozed_until, assignee_id, updated_at';

/**
 * A fan's own terms as read beside another row: `fan_terms t` LEFT JOINed, these columns
 * selected. The one reading of the table, for the fan entity and for the send.
 */
export const FAN_TERMS_COLUMNS =
  't.kind AS terms_kind, t.price_minor AS terms_price_minor, t.currency AS terms_currency';

export interface FanTermsColumns {
  terms_kind: 'free' | 'price' | null;
  terms_price_minor: number | null;
  terms_currency: string | null;
}

export function toFanTerms(row: FanTermsColumns): FanTerms | null {
  if (row.terms_kind === 'free') return { kind: 'free' };
  if (row.terms_kind === 'price')
    return { kind: 'price', price: money(row.terms_price_minor ?? 0, row.terms_currency ?? '') };
  return null;
}

export async function loadFan(sql: Sql, inboxId: string, fanId: string): Promise<Fan> {
  const rows = await sql.query<{ id: string; display_name: string; blocked: boolean } & FanTermsColumns>(
    `SELECT u.id, u.display_name, EXISTS (SELECT 1 FROM blocks b WHERE b.inbox_id = $1 AND b.fan_id = u.id) AS blocked,
       ${FAN_TERMS_COLUMNS}
     FROM users u LEFT JOIN fan_terms t ON t.inbox_id = $1 AND t.fan_id = u.id WHERE u.id = $2`,
    [inboxId, fanId],
  );
  const row = rows[0];
  if (!row) throw notFound('Fan');
  return { id: row.id, displayName: row.display_name, blocked: row.blocked, terms: toFanTerms(row) };
}

export interface SettingsRow {
  accepting_paid_dms: boolean;
  price_minor: number;
  currency: string;
  response_window_ms: number;
  /** jsonb, stored as the wire's Tier objects (written only after tierProblem passed). */
  faster_tiers: Array<{ price: { minor: number; currency: string }; responseWindowMs: number }>;
  paused: boolean;
  max_pending: number | null;
  daily_cap: number | null;
}

export const SETTINGS_COLUMNS =
  'accepting_paid_dms, price_minor, currency, response_window_ms, faster_tiers, paused, max_pending, daily_cap';

export function toSettings(row: SettingsRow): InboxSettings {
  return {
    acceptingPaidDms: row.accepting_paid_dms,
    price: money(row.price_minor, row.currency),
    responseWindowMs: row.response_window_ms,
    fasterTiers: row.faster_tiers.map((tier) => ({
      price: money(tier.price.minor, tier.price.currency),
      responseWindowMs: tier.responseWindowMs,
    })),
    paused: row.paused,
    maxPending: row.max_pending,
    dailyCap: row.daily_cap,
  };
}

export async function loadSettings(sql: Sql, inboxId: string): Promise<InboxSettings> {
  const rows = await sql.query<SettingsRow>(`SELECT ${SETTINGS_COLUMNS} FROM inboxes WHERE id = $1`, [inboxId]);
  if (!rows[0]) throw notFound('Inbox');
  return toSettings(rows[0]);
}

export interface LedgerRow {
  id: string;
  kind: LedgerEvent['kind'] | 'topup';
  message_id: string | null;
  fan_id: string | null;
  currency: string;
  gross: number;
  fee: number;
  net: number;
  actor_id: string | null;
  at: number;
}

export function toLedgerEvent(row: LedgerRow): LedgerEvent {
  if (row.kind === 'topup') throw new Error('Top-ups belong to a fan, not to an inbox');
  return {
    id: row.id,
    kind: row.kind,
    messageId: row.message_id,
    fanId: row.fan_id,
    gross: money(row.gross, row.currency),
    fee: money(row.fee, row.currency),
    net: money(row.net, row.currency),
    actorId: row.actor_id,
    at: row.at,
  };
}

interface MemberRow {
  user_id: string;
  display_name: string;
  email: string;
  role: 'owner' | 'manager';
  permissions: string[];
  active: boolean;
  limits_currency: string | null;
  max_price_minor: number | null;
  daily_refund_minor: number | null;
}

export const MEMBER_SELECT = `SELECT mb.user_id, u.display_name, u.email, mb.role, mb.permissions, mb.active,
    mb.limits_currency, mb.max_price_minor, mb.daily_refund_minor
  FROM members mb JOIN users u ON u.id = mb.user_id`;

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    permissions: row.permissions as Permission[],
    active: row.active,
    limits: toLimits(row),
  };
}

/** The member's money limits as the wire carries them (null amounts = no limit). */
export function toLimits(row: Pick<MemberRow, 'limits_currency' | 'max_price_minor' | 'daily_refund_minor'>) {
  const currency = row.limits_currency;
  const of = (minor: number | null) => (currency !== null && minor !== null ? money(Number(minor), currency) : null);
  return { maxPrice: of(row.max_price_minor), dailyRefund: of(row.daily_refund_minor) };
}

export async function loadMember(sql: Sql, inboxId: string, userId: string): Promise<Member> {
  const rows = await sql.query<MemberRow>(`${MEMBER_SELECT} WHERE mb.inbox_id = $1 AND mb.user_id = $2`, [
    inboxId,
    userId,
  ]);
  if (!rows[0]) throw notFound('Member');
  return toMember(rows[0]);
}

export type AuditRow = AuditEntryRow<Record<string, unknown>>;

export function toAuditEntry(row: AuditRow): AuditEntry {
  return auditEntryFromRow(row, (details) => details);
}
