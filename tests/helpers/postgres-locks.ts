import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { testDatabaseUrl } from './server';

/**
 * A connection of the test's own to the test database, beside the platform's pool: for
 * watching who waits on a lock. Connected before the enclosing describe block's tests,
 * ended after them.
 */
export function adminClientForBlock(): pg.Client {
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());
  return admin;
}

/**
 * Takes an inbox's row lock in a transaction of its own, on the platform's schema, as a
 * write in progress holds it. The caller commits or rolls back, then ends the client.
 */
export async function holdInboxLock(schema: string | null, inboxId: string): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: testDatabaseUrl() });
  await holder.connect();
  await holder.query(`SET search_path TO ${schema}`);
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM inboxes WHERE id = $1 FOR UPDATE', [inboxId]);
  return holder;
}

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
