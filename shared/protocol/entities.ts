import { z } from 'zod';
import { MAX_RESPONSE_WINDOW_MS, MIN_RESPONSE_WINDOW_MS } from '../message/deadline';
import { MAX_FASTER_TIERS } from '../message/tiers';
import {
  EpochMs,
  Id,
  InboxRoleSchema,
  Label,
  MessageStatusSchema,
  MoneySchema,
  PermissionSchema,
  PriceSchema,
} from './common';
import {
  MAX_DAILY_CAP,
  MAX_DEVICE_NAME,
  MAX_DISPLAY_NAME,
  MAX_EMAIL,
  MAX_LABELS_PER_MESSAGE,
  MAX_MESSAGE_BODY,
  MAX_NOTE_BODY,
  MAX_NOTE_TO_FAN,
  MAX_PENDING_LIMIT,
  MAX_PERMISSIONS_LISTED,
  MAX_REPLY_BODY,
} from './limits';

/**
 * Entities as the platform sends them. Each change-feed entry carries a full entity. The
 * bounds are the ones the platform enforces on write (./limits): a client that parses a
 * page with these schemas accepts everything the platform can store.
 */
const Name = z.string().max(MAX_DISPLAY_NAME);
const Email = z.string().max(MAX_EMAIL);
const Permissions = z.array(PermissionSchema).max(MAX_PERMISSIONS_LISTED);

export const UserSchema = z.object({
  id: Id,
  email: Email,
  displayName: Name,
  kind: z.enum(['fan', 'creator']),
});
export type User = z.infer<typeof UserSchema>;

export const MembershipSchema = z.object({
  inboxId: Id,
  handle: z.string(),
  creatorName: Name,
  role: InboxRoleSchema,
  permissions: Permissions,
});
export type Membership = z.infer<typeof MembershipSchema>;

/** One way to pay: a price for an answer within a window (shared/message/tiers.ts). */
export const TierSchema = z.object({
  price: PriceSchema,
  responseWindowMs: z.number().int().min(MIN_RESPONSE_WINDOW_MS).max(MAX_RESPONSE_WINDOW_MS),
});
export type Tier = z.infer<typeof TierSchema>;

/**
 * In an answer that sets an entity's whole state (triage, settings, a fan's block): the feed
 * position of the entry it wrote, so a device that reads older entries of the entity after
 * the answer (a snapshot chunk, a page already on its way) keeps the answer. Absent when the
 * answer wrote no entry, and from answers stored before it was added (an idempotent replay).
 */
export const AnswerSeq = z.number().int().positive().optional();

export const InboxSettingsSchema = z.object({
  acceptingPaidDms: z.boolean(),
  /** The standard tier: always offered. */
  price: PriceSchema,
  responseWindowMs: z.number().int().min(MIN_RESPONSE_WINDOW_MS).max(MAX_RESPONSE_WINDOW_MS),
  /** Up to two shorter windows at their own prices; settings stored before tiers have none. */
  fasterTiers: z.array(TierSchema).max(MAX_FASTER_TIERS).default([]),
  paused: z.boolean(),
  maxPending: z.number().int().positive().max(MAX_PENDING_LIMIT).nullable(),
  dailyCap: z.number().int().positive().max(MAX_DAILY_CAP).nullable(),
});
export type InboxSettings = z.infer<typeof InboxSettingsSchema>;

export const InboxSettingsAnswerSchema = InboxSettingsSchema.extend({ seq: AnswerSeq });
export type InboxSettingsAnswer = z.infer<typeof InboxSettingsAnswerSchema>;

export const MessageSchema = z.object({
  id: Id,
  inboxId: Id,
  fanId: Id,
  fanName: Name,
  body: z.string().max(MAX_MESSAGE_BODY),
  /** What the fan paid: every member sees it (triage is by money at risk; limits are prices). */
  price: MoneySchema,
  /**
   * The earnings side of the price: the platform's rate and cut, and the creator's share.
   * Null for a member without `view_earnings` (the platform does not send them; docs/security.md).
   */
  feeBps: z.number().int().min(0).max(10_000).nullable(),
  fee: MoneySchema.nullable(),
  net: MoneySchema.nullable(),
  status: MessageStatusSchema,
  /** Sent on a free pass: nothing was paid, so nothing is captured, refunded or earned. */
  free: z.boolean().default(false),
  paidAt: EpochMs,
  deadline: EpochMs,
  decidedAt: EpochMs.nullable(),
  decidedBy: z.object({ id: Id, name: Name }).nullable(),
  refundReason: z.string().max(MAX_DISPLAY_NAME).nullable(),
  noteToFan: z.string().max(MAX_NOTE_TO_FAN).nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ReplySchema = z.object({
  id: Id,
  messageId: Id,
  authorId: Id,
  authorName: Name,
  body: z.string().max(MAX_REPLY_BODY),
  createdAt: EpochMs,
});
export type Reply = z.infer<typeof ReplySchema>;

/** Triage moves no money; it merges field by field (last writer wins per field). */
export const TriageSchema = z.object({
  messageId: Id,
  read: z.boolean(),
  starred: z.boolean(),
  archived: z.boolean(),
  labels: z.array(Label).max(MAX_LABELS_PER_MESSAGE),
  snoozedUntil: EpochMs.nullable(),
  assigneeId: Id.nullable(),
  updatedAt: EpochMs,
});
export type Triage = z.infer<typeof TriageSchema>;

export const TriageAnswerSchema = TriageSchema.extend({ seq: AnswerSeq });
export type TriageAnswer = z.infer<typeof TriageAnswerSchema>;

export const NoteSchema = z.object({
  id: Id,
  messageId: Id,
  authorId: Id,
  authorName: Name,
  body: z.string().max(MAX_NOTE_BODY),
  createdAt: EpochMs,
});
export type Note = z.infer<typeof NoteSchema>;

/**
 * A fan's own terms in one inbox (#18): a free pass (their messages arrive unpaid) or a
 * personal price (it replaces every tier). Null: the inbox's tiers apply.
 */
export const FanTermsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('free') }),
  z.object({ kind: z.literal('price'), price: PriceSchema }),
]);
export type FanTerms = z.infer<typeof FanTermsSchema>;

export const FanSchema = z.object({
  id: Id,
  displayName: Name,
  blocked: z.boolean(),
  /** Fans stored before per-fan terms have none. */
  terms: FanTermsSchema.nullable().default(null),
});
export type Fan = z.infer<typeof FanSchema>;

/**
 * One money event as the inbox sees it. `gross` is what the fan paid, `fee` the
 * platform's cut, `net` the creator's share; for holds and refunds fee and net are 0.
 */
export const LedgerEventKindSchema = z.enum(['hold', 'capture', 'refund', 'expire', 'payout']);
export const LedgerEventSchema = z.object({
  id: Id,
  kind: LedgerEventKindSchema,
  messageId: Id.nullable(),
  fanId: Id.nullable(),
  gross: MoneySchema,
  fee: MoneySchema,
  net: MoneySchema,
  actorId: Id.nullable(),
  at: EpochMs,
});
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;

/**
 * Money limits the owner sets on a manager (issue 17): the largest price they may accept or
 * refund, and the most they may refund in any 24 hours. Null = no limit; the owner has none.
 * Amounts are in the inbox's currency, in minor units.
 */
/**
 * A reply a manager wrote for the creator to approve (issue 17). Approving is accepting the
 * message with the draft's text (or an edit of it) as the reply, by a member who may accept
 * and reply; the fan only ever sees that reply, in the approver's name.
 */
export const DRAFT_STATUSES = ['pending', 'approved', 'sent_back', 'superseded', 'void'] as const;
export const DraftSchema = z.object({
  id: Id,
  messageId: Id,
  inboxId: Id,
  authorId: Id,
  authorName: Name,
  body: z.string().max(MAX_REPLY_BODY),
  status: z.enum(DRAFT_STATUSES),
  /** The approver's or sender-back's comment ("send it back with a comment"). */
  comment: z.string().max(MAX_NOTE_BODY).nullable(),
  createdAt: EpochMs,
  decidedAt: EpochMs.nullable(),
  decidedBy: z.object({ id: Id, name: Name }).nullable(),
  /** The message's, so the list orders by what expires first; a draft never extends it. */
  deadline: EpochMs,
  price: MoneySchema,
  fanName: Name,
  messageBody: z.string().max(MAX_MESSAGE_BODY),
});
export type Draft = z.infer<typeof DraftSchema>;

export const MemberLimitsSchema = z.object({
  maxPrice: MoneySchema.nullable(),
  dailyRefund: MoneySchema.nullable(),
});
export type MemberLimits = z.infer<typeof MemberLimitsSchema>;

export const MemberSchema = z.object({
  userId: Id,
  displayName: Name,
  email: Email,
  role: InboxRoleSchema,
  permissions: Permissions,
  active: z.boolean(),
  /** Absent from platforms and local copies older than the limits. */
  limits: MemberLimitsSchema.optional(),
});
export type Member = z.infer<typeof MemberSchema>;

export const AuditEntrySchema = z.object({
  id: Id,
  actorId: Id.nullable(),
  actorName: Name,
  deviceName: z.string().max(MAX_DEVICE_NAME).nullable(),
  action: z.string(),
  subjectId: Id.nullable(),
  details: z.record(z.string(), z.unknown()),
  at: EpochMs,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** An audit entry as the platform and the devices store it: the same columns, `details` in the store's form. */
export interface AuditEntryRow<Details> {
  id: string;
  actor_id: string | null;
  actor_name: string;
  device_name: string | null;
  action: string;
  subject_id: string | null;
  details: Details;
  at: number;
}

/** The one mapping from stored audit columns to the wire's entry. */
export function auditEntryFromRow<Details>(
  row: AuditEntryRow<Details>,
  readDetails: (stored: Details) => Record<string, unknown>,
): AuditEntry {
  return {
    id: row.id,
    actorId: row.actor_id,
    actorName: row.actor_name,
    deviceName: row.device_name,
    action: row.action,
    subjectId: row.subject_id,
    details: readDetails(row.details),
    at: row.at,
  };
}
