import { IDEMPOTENCY_KEY_TTL_MS } from '../../shared/protocol';
import type { Services } from '../services/context';
import { type PeriodicJob, startPeriodicJob } from './periodic';

const BATCH = 5_000;
/** Keys lapse after a day; looking once an hour keeps the table at about a day of keys. */
export const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Deletes idempotency keys past their lifetime, in batches so no statement holds many
 * rows at once. A lapsed key already counts as unused before it is deleted (replayOf),
 * so when this runs changes only the table's size, never an answer. One pass at a time
 * across processes sharing a PostgreSQL database.
 */
export async function pruneIdempotencyKeys(services: Services): Promise<number> {
  const pass = async () => {
    const cutoff = services.clock.now() - IDEMPOTENCY_KEY_TTL_MS;
    let pruned = 0;
    for (;;) {
      const rows = await services.db.query<{ n: number }>(
        `WITH lapsed AS (
           DELETE FROM idempotency_keys WHERE (user_id, key) IN (
             SELECT user_id, key FROM idempotency_keys WHERE created_at <= $1 LIMIT ${BATCH})
           RETURNING 1)
         SELECT count(*)::int AS n FROM lapsed`,
        [cutoff],
      );
      const n = rows[0]?.n ?? 0;
      pruned += n;
      if (n < BATCH) return pruned;
    }
  };
  const { db } = services;
  if (!db.exclusively) return pass();
  return (await db.exclusively('creator_inbox_prune_keys', pass)) ?? 0;
}

export function startPruneJob(services: Services, intervalMs: number, onError: (error: unknown) => void): PeriodicJob {
  return startPeriodicJob(() => pruneIdempotencyKeys(services), intervalMs, onError);
}
