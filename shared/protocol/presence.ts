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

/** How often a client renews what it is doing while it does it. */
export const PRESENCE_HEARTBEAT_MS = 5_000;
/**
 * A heartbeat keeps an entry alive this long: three missed heartbeats, so a device that
 * vanished without saying so (crash, lost network) stops showing within seconds, while
 * one slow or lost heartbeat does not make a person flicker off and on.
 */
export const PRESENCE_TTL_MS = 3 * PRESENCE_HEARTBEAT_MS;

/** Paths of the table's routes `presenceHeartbeat`, `presence` and `presenceEvents`. */
export const PRESENCE_PATH = '/v1/inboxes/:inboxId/presence';
export const PRESENCE_EVENTS_PATH = '/v1/inboxes/:inboxId/presence/events';
/** Server-sent event name; its data is a PresenceList. */
export const PRESENCE_EVENT_NAME = 'presence';
