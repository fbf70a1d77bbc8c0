import { z } from 'zod';
import { MessageActionSchema } from '../actions/registry';
import { EpochMs, Id, Label, MessageStatusSchema, MoneySchema, PermissionSchema } from '../protocol/common';
import { FanTermsSchema } from '../protocol/entities';
import { call } from './define';
import { delegationCalls } from './delegation';
import { draftCalls } from './drafts';
import { earningsCalls } from './earnings';
import { fanCalls } from './fans';
import { filesCalls } from './files';
import { forecastCalls } from './forecast';
import { pricingCalls } from './pricing';
import { teamCalls } from './team';

/** View-shaped results: the renderer never sees SQL or whole tables, only pages. */

export const AccountId = z.string().min(1).max(64);
export const MAX_PAGE = 200;
/** Rows the interface lists per page; a bootstrap announces its first page of pending messages at once. */
export const LIST_PAGE = 100;

export const InboxSummarySchema = z.object({
  inboxId: Id,
  handle: z.string(),
  creatorName: z.string(),
  role: z.enum(['owner', 'manager']),
  permissions: z.array(PermissionSchema),
});

export const AccountSchema = z.object({
  id: AccountId,
  platformUrl: z.string(),
  email: z.string(),
  displayName: z.string(),
  userId: Id,
  kind: z.enum(['fan', 'creator']),
  demo: z.boolean(),
  inboxes: z.array(InboxSummarySchema),
});
export type Account = z.infer<typeof AccountSchema>;

export const INBOX_VIEWS = [
  'pending',
  'accepted',
  'closed',
  'starred',
  'snoozed',
  'archived',
  'label',
  'assigned',
] as const;
export const InboxViewSchema = z.enum(INBOX_VIEWS);
export type InboxView = z.infer<typeof InboxViewSchema>;

/** Where a row stands locally: synced, or with an action waiting in the outbox. */
export const LocalStateSchema = z.enum(['synced', 'queued', 'failed']);

export const InboxRowSchema = z.object({
  id: Id,
  inboxId: Id,
  fanId: Id,
  fanName: z.string(),
  preview: z.string(),
  price: MoneySchema,
  status: MessageStatusSchema,
  paidAt: EpochMs,
  deadline: EpochMs,
  read: z.boolean(),
  starred: z.boolean(),
  archived: z.boolean(),
  labels: z.array(z.string()),
  snoozedUntil: EpochMs.nullable(),
  assigneeId: Id.nullable(),
  /** Sent on a free pass (#18): nothing was paid, nothing is at risk, the deadline closes nothing. */
  free: z.boolean().default(false),
  /** Who decided (accepted or refunded), for the row's attribution hint; null while pending or when it expired. */
  decidedBy: z.object({ id: Id, name: z.string() }).nullable().default(null),
  /** An accept or refund still waiting to reach the platform. Never shown as decided. */
  pendingDecision: z.enum(['accept', 'refund']).nullable(),
  localState: LocalStateSchema,
});
export type InboxRow = z.infer<typeof InboxRowSchema>;

export const InboxPageInput = z.object({
  accountId: AccountId,
  inboxId: Id.nullable(),
  view: InboxViewSchema,
  label: Label.optional(),
  order: z.enum(['deadline', 'at_risk', 'newest']).default('deadline'),
  cursor: z.string().max(512).nullable().default(null),
  limit: z.number().int().positive().max(MAX_PAGE).default(50),
});
export const InboxPageSchema = z.object({
  rows: z.array(InboxRowSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

export const ViewCountSchema = z.object({
  view: InboxViewSchema,
  label: z.string().nullable(),
  count: z.number().int(),
  held: z.array(MoneySchema),
});
export const InboxCountsSchema = z.object({
  views: z.array(ViewCountSchema),
  /** What will be refunded automatically in the next 24 hours if nothing is done. */
  atRisk24h: z.array(MoneySchema),
});

/** A reply or note in a thread; the author's id lets the pane say who wrote it for whom (attribution). */
const ThreadEntrySchema = z.object({
  id: Id,
  authorId: Id,
  authorName: z.string(),
  body: z.string(),
  createdAt: EpochMs,
  localState: LocalStateSchema,
});

export const ThreadSchema = z.object({
  message: InboxRowSchema.extend({
    body: z.string(),
    /** Null where the platform sent none: the member may not view earnings. */
    fee: MoneySchema.nullable(),
    net: MoneySchema.nullable(),
    decidedAt: EpochMs.nullable(),
    decidedBy: z.object({ id: Id, name: z.string() }).nullable(),
    refundReason: z.string().nullable(),
    noteToFan: z.string().nullable(),
  }),
  replies: z.array(ThreadEntrySchema),
  notes: z.array(ThreadEntrySchema),
  fan: z.object({
    id: Id,
    displayName: z.string(),
    blocked: z.boolean(),
    /** A block or unblock of this fan still waiting in the outbox: the card shows where it is going. */
    queued: z.enum(['block', 'unblock']).nullable().default(null),
    /** The fan's free pass or personal price in this inbox (#18); null: the inbox's tiers. */
    terms: FanTermsSchema.nullable().default(null),
    messageCount: z.number().int(),
    lifetime: z.array(MoneySchema),
  }),
});
export type Thread = z.infer<typeof ThreadSchema>;

/** The actions taken on one message, as the registry (shared/actions) declares them. */
export const ActionSchema = MessageActionSchema;
export type Action = z.infer<typeof ActionSchema>;

export const SubmitResultSchema = z.object({ actionId: Id, undoUntil: EpochMs.nullable() });

export const OutboxItemSchema = z.object({
  id: Id,
  messageId: Id.nullable(),
  kind: z.string(),
  state: z.enum(['waiting', 'sending', 'retrying', 'held']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: EpochMs,
  sendAfter: EpochMs,
  /** For accepts: the deadline the platform will judge it by. */
  deadline: EpochMs.nullable(),
  /** Which message it is about, so the list can say whose and how much (null: not a message). */
  fanName: z.string().nullable().default(null),
  price: MoneySchema.nullable().default(null),
  /** Can still be taken back: it cannot have reached the platform (electron/core/README.md). */
  cancellable: z.boolean().default(false),
});

export const NoticeSchema = z.object({
  id: Id,
  messageId: Id.nullable(),
  kind: z.enum(['conflict', 'rejected', 'info']),
  code: z.string(),
  text: z.string(),
  actorName: z.string().nullable(),
  at: EpochMs,
  /** Values for the renderer's translated phrasing of `code` (e.g. status, decidedAt); `text` is the English fallback. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
});

export const SearchInput = z.object({
  accountId: AccountId,
  inboxId: Id.nullable(),
  text: z.string().max(200),
  status: z.array(MessageStatusSchema).optional(),
  minAmount: z.number().int().nonnegative().optional(),
  maxAmount: z.number().int().nonnegative().optional(),
  fanId: Id.optional(),
  label: Label.optional(),
  deadlineWithinMs: z.number().int().positive().optional(),
  from: EpochMs.optional(),
  to: EpochMs.optional(),
  cursor: z.string().max(512).nullable().default(null),
  limit: z.number().int().positive().max(MAX_PAGE).default(50),
});

export const SyncStatusSchema = z.object({
  accountId: AccountId,
  /** `behind`: the platform answers but this device cannot keep up (never shown as online). */
  state: z.enum(['online', 'offline', 'syncing', 'behind', 'signed_out']),
  bootstrap: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** Each inbox still bootstrapping: messages so far of the expected total, and the time left at this run's pace. */
  inboxes: z.array(
    z.object({
      inboxId: Id,
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      remainingMs: z.number().int().nonnegative().nullable(),
    }),
  ),
  lastSyncAt: EpochMs.nullable(),
  pendingActions: z.number().int(),
  /** Feed entries this version could not apply, kept to be tried again after an update. */
  setAside: z.number().int().nonnegative(),
  /** Platform clock minus this device's clock (ms): deadlines are judged on the platform's time. */
  clockOffsetMs: z.number().int(),
});

const AccountInput = z.object({ accountId: AccountId });
const MessageInput = AccountInput.extend({ messageId: Id });

export const calls = {
  'app.info': call(
    z.object({}),
    z.object({
      version: z.string(),
      shell: z.enum(['electron', 'browser']),
      platform: z.string(),
      /** The host can open the system's file manager at a file it saved (`files.showInFolder`). */
      canShowInFolder: z.boolean().default(false),
    }),
  ),
  'accounts.list': call(z.object({}), z.array(AccountSchema)),
  'accounts.startDemo': call(z.object({}), AccountSchema),
  'accounts.connect': call(
    z.object({ url: z.string().url().max(2048), email: z.string().max(254), password: z.string().min(1).max(256) }),
    AccountSchema,
  ),
  'accounts.signOut': call(AccountInput, z.object({ ok: z.literal(true) })),
  'inbox.page': call(InboxPageInput, InboxPageSchema),
  'inbox.counts': call(AccountInput.extend({ inboxId: Id.nullable() }), InboxCountsSchema),
  'message.thread': call(MessageInput, ThreadSchema),
  'actions.submit': call(MessageInput.extend({ action: ActionSchema }), SubmitResultSchema),
  'actions.bulk': call(
    AccountInput.extend({ messageIds: z.array(Id).min(1).max(1000), action: ActionSchema }),
    z.object({
      results: z.array(
        z.object({ messageId: Id, ok: z.boolean(), actionId: Id.nullable(), error: z.string().nullable() }),
      ),
      /** Until when the batch's held actions can be taken back (null: nothing is held). */
      undoUntil: EpochMs.nullable().default(null),
    }),
  ),
  'actions.undo': call(AccountInput.extend({ actionId: Id }), z.object({ undone: z.boolean() })),
  /** Undo for a batch: takes back each action that has not started leaving; says which. */
  'actions.undoMany': call(
    AccountInput.extend({ actionIds: z.array(Id).min(1).max(1000) }),
    z.object({ undone: z.array(Id) }),
  ),
  'outbox.list': call(AccountInput, z.array(OutboxItemSchema)),
  'notices.list': call(AccountInput, z.array(NoticeSchema)),
  'notices.dismiss': call(AccountInput.extend({ noticeId: Id }), z.object({ ok: z.literal(true) })),
  /** Clears the notices list at once; says how many were still there. */
  'notices.dismissAll': call(AccountInput, z.object({ dismissed: z.number().int().nonnegative() })),
  search: call(SearchInput, InboxPageSchema),
  'sync.status': call(AccountInput, SyncStatusSchema),
  'sync.retry': call(AccountInput, z.object({ ok: z.literal(true) })),
  // Issue 7, declared in earnings.ts; implemented by electron/core/earnings.
  ...earningsCalls,
  // Issue 8, declared in team.ts; implemented by electron/core/team.
  ...teamCalls,
  // Issue 17, declared in forecast.ts; implemented by electron/core/forecast.
  ...forecastCalls,
  ...delegationCalls,
  // Issue 18, declared in pricing.ts; implemented by electron/core/pricing.
  ...pricingCalls,
  ...draftCalls,
  ...filesCalls,
  // Issue 12: block and unblock a fan, declared in fans.ts; queued by the core's outbox.
  ...fanCalls,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<Calls[N]['output']>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}
