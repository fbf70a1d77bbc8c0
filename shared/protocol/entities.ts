import { z } from 'zod';
import { EpochMs, Id, InboxRoleSchema, Label, MessageStatusSchema, MoneySchema, PermissionSchema } from './common';

/** Entities as the platform sends them. Each change-feed entry carries a full entity. */

export const UserSchema = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  kind: z.enum(['fan', 'creator']),
});
export type User = z.infer<typeof UserSchema>;

export const MembershipSchema = z.object({
  inboxId: Id,
  handle: z.string(),
  creatorName: z.string(),
  role: InboxRoleSchema,
  permissions: z.array(PermissionSchema),
});
export type Membership = z.infer<typeof MembershipSchema>;

export const InboxSettingsSchema = z.object({
  acceptingPaidDms: z.boolean(),
  price: MoneySchema,
  responseWindowMs: z.number().int(),
  paused: z.boolean(),
  maxPending: z.number().int().positive().nullable(),
  dailyCap: z.number().int().positive().nullable(),
});
export type InboxSettings = z.infer<typeof InboxSettingsSchema>;

export const MessageSchema = z.object({
  id: Id,
  inboxId: Id,
  fanId: Id,
  fanName: z.string(),
  body: z.string(),
  price: MoneySchema,
  feeBps: z.number().int().min(0).max(10_000),
  fee: MoneySchema,
  net: MoneySchema,
  status: MessageStatusSchema,
  paidAt: EpochMs,
  deadline: EpochMs,
  decidedAt: EpochMs.nullable(),
  decidedBy: z.object({ id: Id, name: z.string() }).nullable(),
  refundReason: z.string().nullable(),
  noteToFan: z.string().nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ReplySchema = z.object({
  id: Id,
  messageId: Id,
  authorId: Id,
  authorName: z.string(),
  body: z.string(),
  createdAt: EpochMs,
});
export type Reply = z.infer<typeof ReplySchema>;

/** Triage moves no money; it merges field by field (last writer wins per field). */
export const TriageSchema = z.object({
  messageId: Id,
  read: z.boolean(),
  starred: z.boolean(),
  archived: z.boolean(),
  labels: z.array(Label),
  snoozedUntil: EpochMs.nullable(),
  assigneeId: Id.nullable(),
  updatedAt: EpochMs,
});
export type Triage = z.infer<typeof TriageSchema>;

export const NoteSchema = z.object({
  id: Id,
  messageId: Id,
  authorId: Id,
  authorName: z.string(),
  body: z.string(),
  createdAt: EpochMs,
});
export type Note = z.infer<typeof NoteSchema>;

export const FanSchema = z.object({
  id: Id,
  displayName: z.string(),
  blocked: z.boolean(),
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

export const MemberSchema = z.object({
  userId: Id,
  displayName: z.string(),
  email: z.string(),
  role: InboxRoleSchema,
  permissions: z.array(PermissionSchema),
  active: z.boolean(),
});
export type Member = z.infer<typeof MemberSchema>;

export const AuditEntrySchema = z.object({
  id: Id,
  actorId: Id.nullable(),
  actorName: z.string(),
  deviceName: z.string().nullable(),
  action: z.string(),
  subjectId: Id.nullable(),
  details: z.record(z.string(), z.unknown()),
  at: EpochMs,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
