import type { Database } from '../db/database';

/**
 * The inboxes of messages this process has not seen, for requests that must know their
 * inbox's lane before they start (app.ts `laneOf`: while an inbox is hot). Read together,
 * as accepts are committed together: a lookup with none in flight is sent at once; the ones
 * asked for while it is in flight wait, and the next statement reads all of them. With two
 * processes and a hot inbox, every accept of a message its process had not seen was a
 * statement, and a transaction, of its own before it (docs/scaling.md §2, counted).
 */
export interface InboxLookup {
  /** The message's inbox; null when there is no such message, or the read failed (the request's own path then says why). */
  inboxOf(messageId: string): Promise<string | null>;
}

/** How many messages one statement looks up at most. */
export const LOOKUP_LIMIT = 256;

interface Asked {
  readonly messageId: string;
  resolve(inboxId: string | null): void;
}

export function createInboxLookup(db: Pick<Database, 'query'>, limit = LOOKUP_LIMIT): InboxLookup {
  const waiting: Asked[] = [];
  let inFlight = false;
  const next = () => {
    if (inFlight || waiting.length === 0) return;
    inFlight = true;
    const taken = waiting.splice(0, limit);
    void db
      .query<{ id: string; inbox_id: string }>('SELECT id, inbox_id FROM messages WHERE id = ANY($1::text[])', [
        [...new Set(taken.map((a) => a.messageId))],
      ])
      .then(
        (rows) => {
          const inboxOf = new Map(rows.map((r) => [r.id, r.inbox_id]));
          for (const asked of taken) asked.resolve(inboxOf.get(asked.messageId) ?? null);
        },
        () => {
          for (const asked of taken) asked.resolve(null);
        },
      )
      .finally(() => {
        inFlight = false;
        next();
      });
  };
  return {
    inboxOf: (messageId) =>
      new Promise((resolve) => {
        waiting.push({ messageId, resolve });
        next();
      }),
  };
}
