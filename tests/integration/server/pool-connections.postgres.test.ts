/**
 * A process's pool keeps its PostgreSQL connections however long they idle (server/db/pg.ts,
 * #16). The driver's default closes a connection idle for 10 s, and the next request pays for
 * a new one: a backend started, its catalog caches filled and every prepared statement parsed
 * again. In the load run that met the first requests of a burst after a quiet spell, such as
 * a celebrity's "DM me" (docs/scaling.md §2).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import type { Database } from '../../../server/db/database';
import { openPg } from '../../../server/db/pg';
import { describeWithPostgres, testDatabaseUrl } from '../../helpers/server';

const CONNECTIONS = 3;

describeWithPostgres("a pool's connections, kept while idle (PostgreSQL)", () => {
  let opened: { db: Database; schema: string } | null = null;
  // Dropped however the test ends, as the other PostgreSQL tests' schemas are.
  afterEach(async () => {
    vi.useRealTimers();
    if (!opened) return;
    await opened.db.exec(`DROP SCHEMA ${opened.schema} CASCADE`);
    await opened.db.close();
    opened = null;
  });

  /** The backends that answer CONNECTIONS requests in flight at once, one connection each. */
  const backends = async (pool: Database) => {
    const rows = await Promise.all(
      Array.from({ length: CONNECTIONS }, () =>
        pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)'),
      ),
    );
    return new Set(rows.map(([row]) => row?.pid));
  };

  it('answers a burst after a quiet hour on the connections it already had', async () => {
    const schema = `pool_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const db = await openPg(testDatabaseUrl() ?? '', { schema, max: CONNECTIONS });
    opened = { db, schema };
    // Only the pool's timers are faked: its sockets and PostgreSQL run for real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = await backends(db);
    expect(before.size).toBe(CONNECTIONS);

    await vi.advanceTimersByTimeAsync(60 * 60_000);
    vi.useRealTimers();

    expect(await backends(db)).toEqual(before);
  });
});
