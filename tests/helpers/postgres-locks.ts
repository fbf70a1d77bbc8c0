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
export function holdInboxLock(schema: string | null, inboxId: string): Promise<pg.Client> {
  return holdRowLock(schema, 'inboxes', inboxId);
}

/**
 * Takes a ledger account's row lock (its balance) as `holdInboxLock` takes an inbox's: a
 * write that posts to the account waits for it after it has taken its inbox's lock.
 */
export function holdAccountLock(schema: string | null, accountId: string): Promise<pg.Client> {
  return holdRowLock(schema, 'accounts', accountId);
}

async function holdRowLock(schema: string | null, table: 'inboxes' | 'accounts', id: string): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: testDatabaseUrl() });
  await holder.connect();
  await holder.query(`SET search_path TO ${schema}`);
  await holder.query('BEGIN');
  const locked = await holder.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  // A row that does not exist yet would hold nothing back: the test would prove nothing.
  if (locked.rowCount !== 1) throw new Error(`No row ${id} in ${table} to hold`);
  return holder;
}

/**
 * Backends of the platform under test: test files run two at a time on one database, each
 * platform on a schema of its own, so a backend counts only if it holds or awaits a lock on
 * one of `schema`'s tables (every statement locks the tables it reads or writes until its
 * transaction ends). A null schema counts every backend of the database.
 */
const OF_SCHEMA = `($1::text IS NULL OR EXISTS (
  SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE l.pid = a.pid AND n.nspname = $1))`;

async function countBackends(admin: pg.Client, schema: string | null, state: string): Promise<number> {
  const rows = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity a
     WHERE a.datname = current_database() AND ${state} AND ${OF_SCHEMA}`,
    [schema],
  );
  return rows.rows[0]?.n ?? 0;
}

/** How many backends of the platform on `schema` wait on a lock now. */
export function backendsWaitingOnALock(admin: pg.Client, schema: string | null): Promise<number> {
  return countBackends(admin, schema, `a.wait_event_type = 'Lock'`);
}

/** How many backends of the platform on `schema` sit in a transaction doing nothing (a lock holder is one). */
export function backendsIdleInTransaction(admin: pg.Client, schema: string | null): Promise<number> {
  return countBackends(admin, schema, `a.state = 'idle in transaction'`);
}

/** Waits until at least `count` backends of the platform on `schema` are blocked on a lock. */
export async function backendsWaitOnALock(admin: pg.Client, schema: string | null, count = 1): Promise<void> {
  let seen = 0;
  for (let i = 0; i < 400; i++) {
    seen = await backendsWaitingOnALock(admin, schema);
    if (seen >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Expected ${count} backend(s) waiting on a lock, saw ${seen}`);
}
