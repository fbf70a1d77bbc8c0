import { z } from 'zod';
import { MAX_RESPONSE_WINDOW_MS, MIN_RESPONSE_WINDOW_MS } from '../message/deadline';
import { MAX_FASTER_TIERS } from '../message/tiers';
import { EpochMs, Id, Label, MessageBody, MoneySchema, PermissionSchema, PriceSchema, Text } from './common';
import {
  AnswerSeq,
  AuditEntrySchema,
  DraftSchema,
  FanSchema,
  FanTermsSchema,
  InboxSettingsAnswerSchema,
  InboxSettingsSchema,
  LedgerEventSchema,
  MemberSchema,
  MembershipSchema,
  MessageSchema,
  NoteSchema,
  ReplySchema,
  TierSchema,
  TriageAnswerSchema,
  UserSchema,
} from './entities';
import { ChangesPageSchema, ChangesQuerySchema, FEED_EVENTS_PATH, FeedEventSchema } from './feed';
import {
  MAX_DEVICE_NAME,
  MAX_DISPLAY_NAME,
  MAX_EMAIL,
  MAX_LABELS_PER_CHANGE,
  MAX_NOTE_BODY,
  MAX_NOTE_TO_FAN,
  MAX_PASSWORD,
  MAX_PERMISSIONS_LISTED,
  MAX_PRICE_MINOR,
  MAX_REPLY_BODY,
  MAX_TOP_UP_MINOR,
} from './limits';
import { PRESENCE_EVENTS_PATH, PRESENCE_PATH, PresenceHeartbeatSchema, PresenceListSchema } from './presence';
import { SnapshotLineSchema, SnapshotQuerySchema } from './snapshot';

/**
 * The /v1 wire contract between client and platform, declared once. The server
 * registers its routes from this table (validation + OpenAPI) and the client's HTTP
 * layer is typed by it. `idempotent: true` routes require an Idempotency-Key header.
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly auth: boolean;
  readonly idempotent: boolean;
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly response: z.ZodType;
  /**
   * A streamed answer: `response` is then the schema of one NDJSON line (`ndjson`) or of
   * one server-sent event's data (`sse`), not of the whole body.
   */
  readonly stream?: 'ndjson' | 'sse';
  /**
   * Answered from the platform's memory by its own module (`presence`: server/http/presence.ts),
   * not from the database through the JSON handler table; validated, documented and
   * authorized like every other route.
   */
  readonly registeredBy?: 'presence';
}

const route = <const R extends RouteSpec>(spec: R): R => spec;

// ---- bodies ---------------------------------------------------------------------------

export const Email = z.string().trim().toLowerCase().email().max(MAX_EMAIL);
export const Password = Text().min(10).max(MAX_PASSWORD);
export const Handle = z.string().regex(/^[a-z0-9_]{3,30}$/, 'handle: 3–30 lowercase letters, digits or _');

export const SignUpBody = z.object({
  email: Email,
  password: Password,
  displayName: Text().trim().min(1).max(MAX_DISPLAY_NAME),
  kind: z.enum(['fan', 'creator']),
  handle: Handle.optional(),
});
export const SignInBody = z.object({
  email: Email,
  password: Text().min(1).max(MAX_PASSWORD),
  deviceName: Text().trim().min(1).max(MAX_DEVICE_NAME),
});
export const SessionSchema = z.object({ token: z.string(), expiresAt: EpochMs, user: UserSchema });
export const DeviceSessionSchema = z.object({
  id: Id,
  deviceName: z.string().max(MAX_DEVICE_NAME),
  createdAt: EpochMs,
  lastUsedAt: EpochMs,
  expiresAt: EpochMs,
  current: z.boolean(),
});
export const MeSchema = z.object({ user: UserSchema, memberships: z.array(MembershipSchema) });

// Without the stored-settings default: a patch that does not name the tiers leaves them alone.
export const SettingsPatchBody = InboxSettingsSchema.extend({
  fasterTiers: z.array(TierSchema).max(MAX_FASTER_TIERS),
}).partial();
/** What one signed-in fan is offered: `tiers` as in the profile, or their own terms as the one tier. */
export const MyTermsSchema = z.object({
  tiers: z
    .array(TierSchema.extend({ price: MoneySchema }))
    .min(1)
    .max(MAX_FASTER_TIERS + 1),
  personal: z.enum(['free', 'price']).nullable(),
});

export const PublicProfileSchema = z.object({
  handle: z.string(),
  displayName: z.string().max(MAX_DISPLAY_NAME),
  price: PriceSchema,
  responseWindowMs: z.number().int().min(MIN_RESPONSE_WINDOW_MS).max(MAX_RESPONSE_WINDOW_MS),
  /** Every tier offered, fastest first; the standard terms above are one of them. */
  tiers: z
    .array(TierSchema)
    .min(1)
    .max(MAX_FASTER_TIERS + 1),
  accepting: z.boolean(),
  /** Why a fan cannot pay now, said before they pay. */
  notAcceptingReason: z.enum(['off', 'paused', 'max_pending', 'daily_cap']).nullable(),
});

/**
 * A fan pays what they saw: the price and response window shown to them travel with the
 * message, and if the creator changed either since, nothing is held (409 terms_changed).
 */
export const SendMessageBody = z.object({
  body: MessageBody,
  /** Zero only on a free pass (the terms `myTerms` offers this fan); otherwise a tier's price. */
  price: PriceSchema.extend({ minor: z.number().int().nonnegative().max(MAX_PRICE_MINOR) }),
  responseWindowMs: z.number().int().min(MIN_RESPONSE_WINDOW_MS).max(MAX_RESPONSE_WINDOW_MS),
});
export const AcceptBody = z.object({ reply: Text().min(1).max(MAX_REPLY_BODY).optional() });
export const RefundBody = z.object({
  reason: z.enum(['not_for_me', 'inappropriate', 'cannot_answer', 'other']),
  noteToFan: Text().max(MAX_NOTE_TO_FAN).optional(),
});
export const ReplyBody = z.object({ body: Text().min(1).max(MAX_REPLY_BODY) });
export const TriagePatchBody = z
  .object({
    read: z.boolean(),
    starred: z.boolean(),
    archived: z.boolean(),
    labelsAdd: z.array(Label).max(MAX_LABELS_PER_CHANGE),
    labelsRemove: z.array(Label).max(MAX_LABELS_PER_CHANGE),
    snoozedUntil: EpochMs.nullable(),
    assigneeId: Id.nullable(),
  })
  .partial();
export const NoteBody = z.object({ body: Text().min(1).max(MAX_NOTE_BODY) });
export const BlockBody = z.object({ fanId: Id, refundPending: z.boolean().default(false) });
export const TopUpBody = z.object({
  amount: MoneySchema.extend({ minor: z.number().int().positive().max(MAX_TOP_UP_MINOR) }),
});
export const PayoutBody = z.object({
  amount: MoneySchema.extend({ minor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
});
const PermissionList = z.array(PermissionSchema).max(MAX_PERMISSIONS_LISTED);
export const InviteBody = z.object({ email: Email, permissions: PermissionList });
export const DraftBody = z.object({ body: Text().min(1).max(MAX_REPLY_BODY) });
export const SendBackBody = z.object({ comment: Text().trim().min(1).max(MAX_NOTE_BODY) });
export const PermissionsBody = z.object({ permissions: PermissionList });
/** A limit is a positive amount (minor units, the inbox's currency) or null for none. */
const LimitAmount = z.object({
  minor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: MoneySchema.shape.currency,
});
export const MemberLimitsBody = z.object({ maxPrice: LimitAmount.nullable(), dailyRefund: LimitAmount.nullable() });

// ---- results --------------------------------------------------------------------------

export const MessageResultSchema = z.object({ message: MessageSchema, reply: ReplySchema.nullable() });
export const WalletSchema = z.object({ balances: z.array(MoneySchema) });
export const BalanceSchema = z.object({ available: z.array(MoneySchema), held: z.array(MoneySchema) });
export const PayoutSchema = z.object({ id: Id, amount: MoneySchema, createdAt: EpochMs, requestedBy: Id });
export const InvitationSchema = z.object({
  id: Id,
  inboxId: Id,
  email: z.string().max(MAX_EMAIL),
  permissions: z.array(PermissionSchema).max(MAX_PERMISSIONS_LISTED),
  createdAt: EpochMs,
  acceptedAt: EpochMs.nullable(),
  /** An open invitation lapses at this time (INVITATION_TTL_MS after it was made). */
  expiresAt: EpochMs,
});
/** An invitation lasts a week; the owner can send a new one after. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
/**
 * The invitation's own secret, shown to the owner once when it is made and passed on by
 * them (a message, a call): accepting needs it as well as the invited email address.
 * Case, spaces and dashes do not matter when typed.
 */
export const InvitationCode = Text()
  .max(64)
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z]{12}$/, 'an invitation code has 12 letters and digits'));
export const CreatedInvitationSchema = InvitationSchema.extend({ code: z.string() });
export const AcceptInvitationBody = z.object({ code: InvitationCode });
export const Ok = z.object({ ok: z.literal(true) });

// ---- the table ------------------------------------------------------------------------

export const routes = {
  signUp: route({
    method: 'POST',
    path: '/v1/auth/signup',
    auth: false,
    idempotent: false,
    summary: 'Create an account',
    body: SignUpBody,
    response: SessionSchema,
  }),
  signIn: route({
    method: 'POST',
    path: '/v1/auth/signin',
    auth: false,
    idempotent: false,
    summary: 'Sign in on a device',
    body: SignInBody,
    response: SessionSchema,
  }),
  signOut: route({
    method: 'POST',
    path: '/v1/auth/signout',
    auth: true,
    idempotent: false,
    summary: 'Revoke this session',
    response: Ok,
  }),
  listSessions: route({
    method: 'GET',
    path: '/v1/auth/sessions',
    auth: true,
    idempotent: false,
    summary: 'My sessions and devices',
    response: z.object({ sessions: z.array(DeviceSessionSchema) }),
  }),
  revokeSession: route({
    method: 'DELETE',
    path: '/v1/auth/sessions/:sessionId',
    auth: true,
    idempotent: false,
    summary: 'Revoke one of my sessions',
    response: Ok,
  }),
  me: route({
    method: 'GET',
    path: '/v1/me',
    auth: true,
    idempotent: false,
    summary: 'Who I am and which inboxes I work in',
    response: MeSchema,
  }),

  publicProfile: route({
    method: 'GET',
    path: '/v1/creators/:handle',
    auth: false,
    idempotent: false,
    summary: "A creator's price and whether they accept paid DMs now",
    response: PublicProfileSchema,
  }),
  sendMessage: route({
    method: 'POST',
    path: '/v1/creators/:handle/messages',
    auth: true,
    idempotent: true,
    summary: 'Pay for and send a message',
    body: SendMessageBody,
    response: MessageSchema,
  }),
  myTerms: route({
    method: 'GET',
    path: '/v1/creators/:handle/terms',
    auth: true,
    idempotent: false,
    summary: 'The tiers this fan is offered: their free pass or personal price, else the public tiers',
    response: MyTermsSchema,
  }),
  myMessages: route({
    method: 'GET',
    path: '/v1/me/messages',
    auth: true,
    idempotent: false,
    summary: "A fan's own messages",
    response: z.object({ messages: z.array(MessageSchema), replies: z.array(ReplySchema) }),
  }),
  wallet: route({
    method: 'GET',
    path: '/v1/wallet',
    auth: true,
    idempotent: false,
    summary: 'My wallet balances',
    response: WalletSchema,
  }),
  topUp: route({
    method: 'POST',
    path: '/v1/wallet/topups',
    auth: true,
    idempotent: true,
    summary: 'Top up from the linked bank account',
    body: TopUpBody,
    response: WalletSchema,
  }),

  getSettings: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/settings',
    auth: true,
    idempotent: false,
    summary: 'Inbox settings',
    response: InboxSettingsSchema,
  }),
  updateSettings: route({
    method: 'PATCH',
    path: '/v1/inboxes/:inboxId/settings',
    auth: true,
    idempotent: true,
    summary: 'Change inbox settings (owner)',
    body: SettingsPatchBody,
    response: InboxSettingsAnswerSchema,
  }),
  changes: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/changes',
    auth: true,
    idempotent: false,
    summary: 'Page through the inbox change feed',
    query: ChangesQuerySchema,
    response: ChangesPageSchema,
  }),
  snapshot: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/snapshot',
    auth: true,
    idempotent: false,
    summary: "The inbox's current state at one feed position, streamed as NDJSON (pending messages first)",
    query: SnapshotQuerySchema,
    response: SnapshotLineSchema,
    stream: 'ndjson',
  }),
  feedEvents: route({
    method: 'GET',
    path: FEED_EVENTS_PATH,
    auth: true,
    idempotent: false,
    summary:
      'Server-sent events: `changes` with { inboxId, headSeq } whenever the feed grows (`id:` = headSeq; send Last-Event-ID to resume)',
    response: FeedEventSchema,
    stream: 'sse',
  }),
  presenceHeartbeat: route({
    method: 'POST',
    path: PRESENCE_PATH,
    auth: true,
    idempotent: false,
    summary: 'Say which message I have open or am replying to (state null: nothing); members only',
    body: PresenceHeartbeatSchema,
    response: PresenceListSchema,
    registeredBy: 'presence',
  }),
  presence: route({
    method: 'GET',
    path: PRESENCE_PATH,
    auth: true,
    idempotent: false,
    summary: 'Who has which message of the inbox open now; members only',
    response: PresenceListSchema,
    registeredBy: 'presence',
  }),
  presenceEvents: route({
    method: 'GET',
    path: PRESENCE_EVENTS_PATH,
    auth: true,
    idempotent: false,
    summary: 'Server-sent events: `presence` with the whole list whenever it changes; members only',
    response: PresenceListSchema,
    stream: 'sse',
    registeredBy: 'presence',
  }),

  accept: route({
    method: 'POST',
    path: '/v1/messages/:messageId/accept',
    auth: true,
    idempotent: true,
    summary: 'Accept (capture) a paid message, optionally replying',
    body: AcceptBody,
    response: MessageResultSchema,
  }),
  refund: route({
    method: 'POST',
    path: '/v1/messages/:messageId/refund',
    auth: true,
    idempotent: true,
    summary: 'Refund a paid message',
    body: RefundBody,
    response: MessageResultSchema,
  }),
  reply: route({
    method: 'POST',
    path: '/v1/messages/:messageId/replies',
    auth: true,
    idempotent: true,
    summary: 'Reply to an accepted message',
    body: ReplyBody,
    response: ReplySchema,
  }),
  triage: route({
    method: 'PATCH',
    path: '/v1/messages/:messageId/triage',
    auth: true,
    idempotent: true,
    summary: 'Change triage fields',
    body: TriagePatchBody,
    response: TriageAnswerSchema,
  }),
  addNote: route({
    method: 'POST',
    path: '/v1/messages/:messageId/notes',
    auth: true,
    idempotent: true,
    summary: 'Add an internal note',
    body: NoteBody,
    response: NoteSchema,
  }),
  block: route({
    method: 'POST',
    path: '/v1/inboxes/:inboxId/blocks',
    auth: true,
    idempotent: true,
    summary: 'Block a fan',
    body: BlockBody,
    response: z.object({ refunded: z.array(Id), seq: AnswerSeq }),
  }),
  unblock: route({
    method: 'DELETE',
    path: '/v1/inboxes/:inboxId/blocks/:fanId',
    auth: true,
    idempotent: true,
    summary: 'Unblock a fan',
    response: Ok.extend({ seq: AnswerSeq }),
  }),
  setFanTerms: route({
    method: 'PUT',
    path: '/v1/inboxes/:inboxId/fans/:fanId/terms',
    auth: true,
    idempotent: true,
    summary: 'Give a fan a free pass or a personal price (needs manage_fans)',
    body: FanTermsSchema,
    response: FanSchema,
  }),
  clearFanTerms: route({
    method: 'DELETE',
    path: '/v1/inboxes/:inboxId/fans/:fanId/terms',
    auth: true,
    idempotent: true,
    summary: "Take back a fan's free pass or personal price (needs manage_fans)",
    response: FanSchema,
  }),

  balance: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/balance',
    auth: true,
    idempotent: false,
    summary: 'Available and held balances',
    response: BalanceSchema,
  }),
  ledger: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/ledger',
    auth: true,
    idempotent: false,
    summary: 'Ledger events of the inbox',
    query: z.object({
      from: z.coerce.number().pipe(EpochMs).optional(),
      to: z.coerce.number().pipe(EpochMs).optional(),
    }),
    response: z.object({ events: z.array(LedgerEventSchema) }),
  }),
  payouts: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/payouts',
    auth: true,
    idempotent: false,
    summary: 'Payout history',
    response: z.object({ payouts: z.array(PayoutSchema) }),
  }),
  requestPayout: route({
    method: 'POST',
    path: '/v1/inboxes/:inboxId/payouts',
    auth: true,
    idempotent: true,
    summary: 'Pay out to the bank (owner)',
    body: PayoutBody,
    response: PayoutSchema,
  }),

  members: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/members',
    auth: true,
    idempotent: false,
    summary: 'Team of the inbox',
    response: z.object({ members: z.array(MemberSchema), invitations: z.array(InvitationSchema) }),
  }),
  invite: route({
    method: 'POST',
    path: '/v1/inboxes/:inboxId/invitations',
    auth: true,
    idempotent: true,
    summary: 'Invite a manager (owner); the answer carries the code they need to accept',
    body: InviteBody,
    response: CreatedInvitationSchema,
  }),
  myInvitations: route({
    method: 'GET',
    path: '/v1/me/invitations',
    auth: true,
    idempotent: false,
    summary: 'Invitations addressed to me',
    response: z.object({ invitations: z.array(InvitationSchema) }),
  }),
  acceptInvitation: route({
    method: 'POST',
    path: '/v1/invitations/:invitationId/accept',
    auth: true,
    idempotent: true,
    summary: "Accept an invitation with its code (the invitation's own secret)",
    body: AcceptInvitationBody,
    response: MembershipSchema,
  }),
  cancelInvitation: route({
    method: 'DELETE',
    path: '/v1/inboxes/:inboxId/invitations/:invitationId',
    auth: true,
    idempotent: true,
    summary: 'Cancel an open invitation (owner)',
    response: Ok,
  }),
  setPermissions: route({
    method: 'PUT',
    path: '/v1/inboxes/:inboxId/members/:userId/permissions',
    auth: true,
    idempotent: true,
    summary: "Change a manager's permissions (owner)",
    body: PermissionsBody,
    response: MemberSchema,
  }),
  submitDraft: route({
    method: 'POST',
    path: '/v1/messages/:messageId/drafts',
    auth: true,
    idempotent: true,
    summary: 'Submit a reply for the creator to approve (draft permission); replaces my earlier open draft',
    body: DraftBody,
    response: DraftSchema,
  }),
  drafts: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/drafts',
    auth: true,
    idempotent: false,
    summary: 'Open drafts of pending messages, soonest deadline first (members who may accept and reply, and drafters)',
    response: z.object({ drafts: z.array(DraftSchema) }),
  }),
  sendBackDraft: route({
    method: 'POST',
    path: '/v1/drafts/:draftId/send-back',
    auth: true,
    idempotent: true,
    summary: 'Send a draft back to its author with a comment (accept and reply)',
    body: SendBackBody,
    response: DraftSchema,
  }),
  setLimits: route({
    method: 'PUT',
    path: '/v1/inboxes/:inboxId/members/:userId/limits',
    auth: true,
    idempotent: true,
    summary: "Set a manager's money limits: largest price to accept or refund, refunds per 24 h (owner)",
    body: MemberLimitsBody,
    response: MemberSchema,
  }),
  revokeMember: route({
    method: 'DELETE',
    path: '/v1/inboxes/:inboxId/members/:userId',
    auth: true,
    idempotent: true,
    summary: 'Revoke a manager (owner)',
    response: Ok,
  }),
  audit: route({
    method: 'GET',
    path: '/v1/inboxes/:inboxId/audit',
    auth: true,
    idempotent: false,
    summary: 'Audit log (owner)',
    query: z.object({
      before: z.coerce.number().pipe(EpochMs).optional(),
      limit: z.coerce.number().int().positive().max(500).default(100),
    }),
    response: z.object({ entries: z.array(AuditEntrySchema) }),
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteBody<N extends RouteName> = Routes[N] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : undefined;
export type RouteResponse<N extends RouteName> = z.infer<Routes[N]['response']>;
/** Routes whose answer is a stream (registered by hand, not through the JSON handler table). */
export type StreamRouteName = { [N in RouteName]: Routes[N] extends { stream: string } ? N : never }[RouteName];
/** Routes a module of their own registers (see `registeredBy`). */
export type OwnModuleRouteName = {
  [N in RouteName]: Routes[N] extends { registeredBy: string } ? N : never;
}[RouteName];
/** Routes answered with one JSON value by the JSON handler table. */
export type JsonRouteName = Exclude<RouteName, StreamRouteName | OwnModuleRouteName>;

/** Fills `:params` in a route path, encoding each value. */
export function routePath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}
