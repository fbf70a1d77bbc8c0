import { z } from 'zod';
import { EpochMs, Id } from './common';
import {
  AuditEntrySchema,
  DraftSchema,
  FanSchema,
  InboxSettingsSchema,
  LedgerEventSchema,
  MemberSchema,
  MessageSchema,
  NoteSchema,
  ReplySchema,
  TriageSchema,
} from './entities';

/**
 * The per-inbox change feed. Every entry carries the entity's full current state, so
 * applying an entry twice, or an older one after a newer one of the same entity, is
 * harmless when the client keeps the highest `seq` per entity.
 */
const entry = <K extends string, T extends z.ZodType>(kind: K, data: T) =>
  z.object({ seq: z.number().int().positive(), at: EpochMs, kind: z.literal(kind), data });

export const ChangeSchema = z.discriminatedUnion('kind', [
  entry('message', MessageSchema),
  entry('reply', ReplySchema),
  entry('triage', TriageSchema),
  entry('note', NoteSchema),
  entry('fan', FanSchema),
  entry('ledger', LedgerEventSchema),
  entry('settings', InboxSettingsSchema),
  entry('member', MemberSchema),
  entry('audit', AuditEntrySchema),
  // Drafts a creator approves (issue 17): only members who may draft, or accept and reply, get them.
  entry('draft', DraftSchema),
]);
export type Change = z.infer<typeof ChangeSchema>;
export type ChangeKind = Change['kind'];

/**
 * The most entries one feed page may carry: as many as a snapshot chunk (MAX_SNAPSHOT_CHUNK),
 * which the device already reads and applies in slices. The platform writes a page as the
 * stored text, so a page costs it one query whatever its size.
 */
export const MAX_CHANGES_PAGE = 5_000;

export const ChangesQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(MAX_CHANGES_PAGE).default(500),
});

/** GET /v1/inboxes/:inboxId/changes?after=N&limit=M */
export const ChangesPageSchema = z.object({
  inboxId: Id,
  changes: z.array(ChangeSchema),
  /** The cursor to store once this page is applied: the last entry's seq, or `after`. */
  nextAfter: z.number().int().nonnegative(),
  /** The newest seq in the feed when the page was read; drives bootstrap progress. */
  headSeq: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type ChangesPage = z.infer<typeof ChangesPageSchema>;

/** Server-sent event `changes`: only says there is more up to `headSeq`. */
export const FeedEventSchema = z.object({ inboxId: Id, headSeq: z.number().int().nonnegative() });
export type FeedEvent = z.infer<typeof FeedEventSchema>;

/**
 * GET — server-sent events for one inbox (bearer auth in the Authorization header). Each
 * event is named `changes`, its `id:` is the headSeq and its data a FeedEvent; send
 * `Last-Event-ID` to resume. Route `feedEvents` of the table.
 */
export const FEED_EVENTS_PATH = '/v1/inboxes/:inboxId/events';
export const FEED_EVENT_NAME = 'changes';
