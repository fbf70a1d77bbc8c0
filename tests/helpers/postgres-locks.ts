import type pg from 'pg';

/** How many backends of this database wait on a lock now. */
export async function backendsWaitingOnALock(admin: pg.Client): Promise<number> {
  const rows = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows.rows[0]?.n ?? 0;
}

/** Waits until at least `count` other backends of this database are blocked on a lock. */
export async function backendsWaitOnALock(admin: pg.Client, count = 1): Promise<void> {
  let seen = 0;
  for (let i = 0; i < 400; i++) {
    seen = await backendsWaitingOnALock(admin);
    if (seen >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Expected ${count} backend(s) waiting on a lock, saw ${seen}`);
}
