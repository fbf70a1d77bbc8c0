import { z } from 'zod';
import { Id } from '../protocol/common';
import { AccountId, InboxViewSchema, NoticeSchema, SyncStatusSchema } from './calls';
import { filesEvents } from './files';
import { teamEvents } from './team';

/** Events the core pushes to the renderer. The renderer invalidates matching queries. */
export const ENTITY_KINDS = [
  'message',
  'thread',
  'counts',
  'outbox',
  'notices',
  'accounts',
  'earnings',
  'team',
  'settings',
  'drafts',
] as const;

export const events = {
  'entities.changed': z.object({
    accountId: AccountId,
    inboxId: Id.nullable(),
    kinds: z.array(z.enum(ENTITY_KINDS)),
    messageIds: z.array(Id).max(1000).optional(),
  }),
  'sync.status': SyncStatusSchema,
  'notice.added': NoticeSchema.extend({ accountId: AccountId }),
  /** From the shell, not the core: a creatorinbox:// link asked the app to show something. */
  'app.navigate': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('message'), messageId: Id, accountId: AccountId.nullable() }),
    z.object({ kind: z.literal('view'), view: InboxViewSchema }),
  ]),
  // Issue 8, declared in team.ts.
  ...teamEvents,
  ...filesEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.infer<Events[N]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
