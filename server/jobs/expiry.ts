import type { Services } from '../services/context';
import { expireDueIn } from '../services/messages';
import { type PeriodicJob, startPeriodicJob } from './periodic';

const BATCH = 200;

/**
 * Refunds every pending message whose deadline has passed, one inbox at a time. With
 * several processes on one PostgreSQL, one pass runs at a time across them all (an
 * advisory lock); the others skip their turn. Each inbox's pass still takes the inbox lock
 * and skips locked messages, so even two passes could not refund a message twice.
 */
export async function expireDue(services: Services): Promise<number> {
  const { db } = services;
  if (!db.exclusively) return expirePass(services);
  return (await db.exclusively('creator_inbox_expiry', () => expirePass(services))) ?? 0;
}

async function expirePass(services: Services): Promise<number> {
  const now = services.clock.now();
  const inboxes = await services.db.query<{ inbox_id: string }>(
    // A free-pass message is never refunded: it waits past its deadline for an answer.
    `SELECT DISTINCT inbox_id FROM messages WHERE status = 'pending' AND deadline <= $1 AND NOT free`,
    [now],
  );
  let expired = 0;
  for (const { inbox_id } of inboxes) {
    for (;;) {
      const n = await services.transact((tx) => expireDueIn(tx, inbox_id, BATCH));
      expired += n;
      if (n < BATCH) break;
    }
  }
  return expired;
}

/** Refunds what is due on start-up and every `intervalMs`; `runNow` says how many messages expired. */
export function startExpiryJob(services: Services, intervalMs: number, onError: (error: unknown) => void): PeriodicJob {
  return startPeriodicJob(() => expireDue(services), intervalMs, onError);
}
