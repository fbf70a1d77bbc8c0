import { z } from 'zod';
import { EpochMs, Id, MoneySchema, PERMISSIONS, PermissionSchema } from '../protocol/common';
import { AuditEntrySchema, InboxSettingsSchema, MemberSchema } from '../protocol/entities';
import { PresenceEntrySchema, PresenceStateSchema } from '../protocol/presence';
import { CreatedInvitationSchema, InvitationCode, InvitationSchema, SettingsPatchBody } from '../protocol/routes';
import { call } from './define';

/**
 * Owner controls and team (issue 8): inbox settings (queued like any other action, so they
 * can be edited offline), the team and its permissions (online: the platform decides),
 * a summary of every inbox a person works in, the audit log and presence.
 */

const AccountId = z.string().min(1).max(64);
const InboxInput = z.object({ accountId: AccountId, inboxId: Id });

export const InboxSettingsViewSchema = z.object({
  /** The settings as they will be once queued edits reach the platform; null before the first sync. */
  settings: InboxSettingsSchema.nullable(),
  /** An edit is waiting in the outbox. */
  pending: z.boolean(),
  /**
   * The platform's fee in basis points, as it last charged this inbox's messages; null for a
   * member who may not view earnings (the fee and what the creator nets are earnings).
   */
  feeBps: z.number().int().min(0).max(10_000).nullable(),
  /** 'platform' when read from the platform's own messages; 'default' before any message exists; 'hidden' with feeBps null. */
  feeSource: z.enum(['platform', 'default', 'hidden']),
});
export type InboxSettingsView = z.infer<typeof InboxSettingsViewSchema>;

export const TeamSchema = z.object({
  members: z.array(MemberSchema),
  /** Pending invitations (owner only); empty when they could not be read (offline). */
  invitations: z.array(InvitationSchema),
  invitationsOffline: z.boolean(),
});

export const InboxOverviewSchema = z.object({
  inboxId: Id,
  handle: z.string(),
  creatorName: z.string(),
  role: z.enum(['owner', 'manager']),
  permissions: z.array(PermissionSchema),
  pending: z.number().int().nonnegative(),
  held: z.array(MoneySchema),
  /** Pending money whose deadline falls within the next 24 hours. */
  atRisk: z.array(MoneySchema),
  /** The soonest deadline of a pending message, for ordering. */
  nextDeadline: EpochMs.nullable(),
});
export type InboxOverview = z.infer<typeof InboxOverviewSchema>;

/** Audit actions grouped the way people ask for them. */
export const AUDIT_CATEGORIES = ['accept', 'refund', 'reply', 'settings', 'team', 'other'] as const;
export const AuditCategorySchema = z.enum(AUDIT_CATEGORIES);
export type AuditCategory = z.infer<typeof AuditCategorySchema>;

export const AuditFilterSchema = InboxInput.extend({
  category: AuditCategorySchema.optional(),
  actorId: Id.optional(),
  from: EpochMs.optional(),
  /** Exclusive. */
  to: EpochMs.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  nextCursor: z.string().nullable(),
  actors: z.array(z.object({ id: Id, name: z.string() })),
});

export const PresenceChangedSchema = z.object({
  accountId: AccountId,
  inboxId: Id,
  /** Everyone else present in the inbox now (never the person signed in on this account). */
  people: z.array(PresenceEntrySchema),
});

export const teamCalls = {
  'team.settings': call(InboxInput, InboxSettingsViewSchema),
  /** Owner only; queued in the outbox (works offline), sent as PATCH settings. */
  'team.updateSettings': call(
    InboxInput.extend({ patch: SettingsPatchBody }),
    z.object({ actionId: Id, view: InboxSettingsViewSchema }),
  ),
  'team.members': call(InboxInput, TeamSchema),
  /** The answer carries the invitation's code: the owner passes it on; it is shown once. */
  'team.invite': call(
    InboxInput.extend({ email: z.string().max(254), permissions: z.array(PermissionSchema).max(PERMISSIONS.length) }),
    CreatedInvitationSchema,
  ),
  /** Owner only: the invitation can no longer be accepted. */
  'team.cancelInvitation': call(InboxInput.extend({ invitationId: Id }), z.object({ ok: z.literal(true) })),
  'team.setPermissions': call(
    InboxInput.extend({ userId: Id, permissions: z.array(PermissionSchema).max(PERMISSIONS.length) }),
    MemberSchema,
  ),
  'team.revoke': call(InboxInput.extend({ userId: Id }), z.object({ ok: z.literal(true) })),
  'team.myInvitations': call(z.object({ accountId: AccountId }), z.array(InvitationSchema)),
  /** Joins the inbox and starts syncing it at once. */
  'team.acceptInvitation': call(
    z.object({ accountId: AccountId, invitationId: Id, code: InvitationCode }),
    z.object({ inboxId: Id, handle: z.string(), creatorName: z.string() }),
  ),
  'team.inboxes': call(z.object({ accountId: AccountId }), z.array(InboxOverviewSchema)),
  'team.audit': call(
    AuditFilterSchema.extend({
      cursor: z.string().max(256).nullable().default(null),
      limit: z.number().int().positive().max(500).default(100),
    }),
    AuditPageSchema,
  ),
  /** The whole filtered log as RFC 4180 CSV text (audit logs are small: capped at 100,000 rows). */
  'team.auditCsv': call(
    AuditFilterSchema.extend({ timeZone: z.string().min(1).max(64) }),
    z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  ),
  /** What I am doing on a message now; null when I leave it. Sent at once and renewed by the core. */
  'presence.set': call(
    z.object({ accountId: AccountId, messageId: Id, state: PresenceStateSchema.nullable() }),
    z.object({ ok: z.literal(true) }),
  ),
  'presence.list': call(InboxInput, z.array(PresenceEntrySchema)),
  /**
   * Nobody is looking (the window hid or closed, the last page went away): every account
   * says at once that it left its message, instead of lingering until the entry lapses.
   */
  'presence.away': call(z.object({}), z.object({ ok: z.literal(true) })),
} as const;

export type TeamCalls = typeof teamCalls;
export type TeamCallName = keyof TeamCalls;

export const teamEvents = {
  'presence.changed': PresenceChangedSchema,
} as const;
