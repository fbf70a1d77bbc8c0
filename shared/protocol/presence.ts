import { z } from 'zod';
import { EpochMs, Id } from './common';

/**
 * Presence: who has a message open or is writing a reply to it. It lives only in the
 * platform's memory (nothing is stored), expires unless renewed by a heartbeat, and is
 * pushed to the other members of the inbox on its own server-sent-event stream.
 */
export const PRESENCE_STATES = ['viewing', 'replying'] as const;
export const PresenceStateSchema = z.enum(PRESENCE_STATES);
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const PresenceEntrySchema = z.object({
  userId: Id,
  name: z.string(),
  messageId: Id,
  state: PresenceStateSchema,
  /** When this entry lapses unless another heartbeat renews it. */
  until: EpochMs,
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

/** POST body: what I am doing now; `state: null` (or another message) clears what I did before. */
export const PresenceHeartbeatSchema = z.object({ messageId: Id, state: PresenceStateSchema.nullable() });
export const PresenceListSchema = z.object({ inboxId: Id, people: z.array(PresenceEntrySchema) });
export type PresenceList = z.infer<typeof PresenceListSchema>;

/** A heartbeat keeps an entry alive this long; clients renew well within it. */
export const PRESENCE_TTL_MS = 30_000;
export const PRESENCE_HEARTBEAT_MS = 10_000;

/** Paths of the table's routes `presenceHeartbeat`, `presence` and `presenceEvents`. */
export const PRESENCE_PATH = '/v1/inboxes/:inboxId/presence';
export const PRESENCE_EVENTS_PATH = '/v1/inboxes/:inboxId/presence/events';
/** Server-sent event name; its data is a PresenceList. */
export const PRESENCE_EVENT_NAME = 'presence';
