import { z } from 'zod';
import { EpochMs, Id, MessageStatusSchema } from '../protocol/common';
import { DraftSchema } from '../protocol/entities';
import { SendBackBody } from '../protocol/routes';
import { call } from './define';

/**
 * Drafts a creator approves (issue 17), read from the local store (kept from the feed, so
 * offline too). Writing one is the registered action `draft` (`actions.submit`, through the
 * outbox); approving is an accept with the draft's text as the reply (`actions.submit`).
 */

const AccountId = z.string().min(1).max(64);

/** The most drafts either list returns; the platform keeps one open draft per message. */
export const MAX_DRAFT_ROWS = 500;

export const DraftItemSchema = DraftSchema.extend({
  /** The message's state now, as this device knows it: a draft only counts while it is pending. */
  messageStatus: MessageStatusSchema,
  /** Who settled the message, and when, if it is no longer pending (the conflict notice names them). */
  messageDecidedAt: EpochMs.nullable(),
  messageDecidedBy: z.string().nullable(),
  /** Written on this device and still in the outbox (offline): the platform has not seen it yet. */
  queued: z.boolean(),
});
export type DraftItem = z.infer<typeof DraftItemSchema>;

export const DraftListSchema = z.object({
  /** Open drafts of pending messages before their deadline, the one that expires first first. Empty unless I may approve. */
  toApprove: z.array(DraftItemSchema),
  /** Drafts I wrote: queued, open, sent back (with the comment) or settled, newest first. */
  mine: z.array(DraftItemSchema),
  mayApprove: z.boolean(),
  mayDraft: z.boolean(),
});
export type DraftList = z.infer<typeof DraftListSchema>;

export const draftCalls = {
  'drafts.list': call(z.object({ accountId: AccountId, inboxId: Id }), DraftListSchema),
  /** Online only: the platform decides, and the author hears it on the feed. */
  'drafts.sendBack': call(z.object({ accountId: AccountId, draftId: Id }).merge(SendBackBody), DraftSchema),
} as const;
